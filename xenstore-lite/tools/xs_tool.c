/*
 * xs_tool.c: the xenstore command-line tools as one multi-call binary.
 * Invoked as xenstore-read, -write, -ls, -list, -rm, -exists, -watch or
 * -chmod (links to it), or as "xs <command> ...". Options and output
 * follow Xen's tools of the same name where the toolstack relies on them.
 *
 *   read [-p] PATH...           value of each PATH, one per line (-p: "PATH: value")
 *   write PATH VALUE [PATH VALUE]...
 *   ls [-p] [PATH]              the subtree as 'name = "value"', one space per level
 *   list PATH                   the child names of PATH
 *   rm PATH...                  remove each subtree
 *   exists PATH                 exit 0 if PATH exists, 1 if not
 *   watch [-n N] PATH [TOKEN]   print event paths, N of them (default: forever)
 *   chmod [-r] PATH PERM...     set permissions (-r: on the whole subtree)
 *
 * The daemon is found through $XENSTORED_PATH as with Xen's tools. Exit
 * status: 0 success, 1 a request failed (message on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xs_client.h"

static struct xsc *h;

static void usage(const char *cmd)
{
    fprintf(stderr, "usage: %s: see the header of xs_tool.c or xenstore-lite/README.md\n", cmd);
    exit(2);
}

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "xenstore: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

/* Print a value the way Xen's xenstore-ls does: non-printables escaped. */
static void print_escaped(const char *v, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)v[i];

        if (ch == '\\' || ch == '"')
            printf("\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7f)
            printf("\\x%02x", ch);
        else
            putchar(ch);
    }
}

static int cmd_read(int argc, char **argv)
{
    int i = 1, rc = 0;
    int prefix = 0;

    if (i < argc && strcmp(argv[i], "-p") == 0) {
        prefix = 1;
        i++;
    }
    if (i >= argc)
        usage(argv[0]);
    for (; i < argc; i++) {
        size_t len;
        char *v = xsc_read(h, 0, argv[i], &len);

        if (!v) {
            rc = fail("could not read", argv[i]);
            continue;
        }
        if (prefix)
            printf("%s: ", argv[i]);
        fwrite(v, 1, len, stdout);
        putchar('\n');
        free(v);
    }
    return rc;
}

static int cmd_write(int argc, char **argv)
{
    int i;

    if (argc < 3 || (argc - 1) % 2)
        usage(argv[0]);
    for (i = 1; i < argc; i += 2)
        if (xsc_write(h, 0, argv[i], argv[i + 1], strlen(argv[i + 1])))
            return fail("could not write", argv[i]);
    return 0;
}

static int ls_tree(const char *path, int depth, int perms)
{
    unsigned n, i;
    char **names = xsc_directory(h, 0, path, &n);

    if (!names)
        return fail("could not list", path);
    for (i = 0; i < n; i++) {
        char child[4096];
        size_t len;
        char *v;

        snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", names[i]);
        v = xsc_read(h, 0, child, &len);
        printf("%*s%s = \"", depth, "", names[i]);
        if (v)
            print_escaped(v, len);
        putchar('"');
        free(v);
        if (perms) {
            unsigned np, j;
            char **p = xsc_get_perms(h, 0, child, &np);

            printf("  (");
            for (j = 0; p && j < np; j++)
                printf("%s%s", j ? "," : "", p[j]);
            putchar(')');
            free(p);
        }
        putchar('\n');
        ls_tree(child, depth + 1, perms);
    }
    free(names);
    return 0;
}

static int cmd_ls(int argc, char **argv)
{
    int i = 1, perms = 0;

    if (i < argc && strcmp(argv[i], "-p") == 0) {
        perms = 1;
        i++;
    }
    if (argc - i > 1)
        usage(argv[0]);
    return ls_tree(i < argc ? argv[i] : "/", 0, perms);
}

static int cmd_list(int argc, char **argv)
{
    unsigned n, i;
    char **names;

    if (argc != 2)
        usage(argv[0]);
    names = xsc_directory(h, 0, argv[1], &n);
    if (!names)
        return fail("could not list", argv[1]);
    for (i = 0; i < n; i++)
        printf("%s\n", names[i]);
    free(names);
    return 0;
}

static int cmd_rm(int argc, char **argv)
{
    int i, rc = 0;

    if (argc < 2)
        usage(argv[0]);
    for (i = 1; i < argc; i++)
        if (xsc_rm(h, 0, argv[i]))
            rc = fail("could not remove", argv[i]);
    return rc;
}

static int cmd_exists(int argc, char **argv)
{
    char *v;

    if (argc != 2)
        usage(argv[0]);
    v = xsc_read(h, 0, argv[1], NULL);
    free(v);
    return v ? 0 : 1;
}

static int cmd_watch(int argc, char **argv)
{
    long count = -1;
    int i = 1;

    if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
        char *end;

        errno = 0;
        count = strtol(argv[i + 1], &end, 10);
        if (errno || *end || count < 1 || count > 1000000)
            usage(argv[0]);
        i += 2;
    }
    if (i >= argc || argc - i > 2)
        usage(argv[0]);
    if (xsc_watch(h, argv[i], i + 1 < argc ? argv[i + 1] : "xs-tool"))
        return fail("could not watch", argv[i]);
    while (count != 0) {
        char *path, *token;

        if (xsc_read_watch(h, -1, &path, &token))
            return fail("watch failed on", argv[i]);
        printf("%s\n", path);
        fflush(stdout);
        free(path);
        if (count > 0)
            count--;
    }
    return 0;
}

static int chmod_tree(const char *path, const char *const *perms, unsigned n, int recurse)
{
    unsigned nc, i;
    char **names;
    int rc = 0;

    if (xsc_set_perms(h, 0, path, perms, n))
        return fail("could not set permissions of", path);
    if (!recurse)
        return 0;
    names = xsc_directory(h, 0, path, &nc);
    if (!names)
        return fail("could not list", path);
    for (i = 0; i < nc && !rc; i++) {
        char child[4096];

        snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", names[i]);
        rc = chmod_tree(child, perms, n, recurse);
    }
    free(names);
    return rc;
}

static int cmd_chmod(int argc, char **argv)
{
    int i = 1, recurse = 0;

    if (i < argc && strcmp(argv[i], "-r") == 0) {
        recurse = 1;
        i++;
    }
    if (argc - i < 2)
        usage(argv[0]);
    return chmod_tree(argv[i], (const char *const *)argv + i + 1, (unsigned)(argc - i - 1),
                      recurse);
}

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} cmds[] = {
    {"read", cmd_read}, {"write", cmd_write},   {"ls", cmd_ls},       {"list", cmd_list},
    {"rm", cmd_rm},     {"exists", cmd_exists}, {"watch", cmd_watch}, {"chmod", cmd_chmod},
};

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    size_t i;
    int rc;

    if (strncmp(base, "xenstore-", 9) == 0) {
        base += 9;
    } else {
        if (argc < 2)
            usage("xs");
        base = argv[1];
        argv++;
        argc--;
    }
    for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(cmds[i].name, base) == 0)
            break;
    if (i == sizeof(cmds) / sizeof(cmds[0]))
        usage(base);
    h = xsc_open(NULL);
    if (!h) {
        fprintf(stderr, "xenstore: cannot connect to the daemon: %s\n", strerror(errno));
        return 1;
    }
    rc = cmds[i].fn(argc, argv);
    xsc_close(h);
    return rc;
}
