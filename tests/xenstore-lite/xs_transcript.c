/*
 * xs_transcript.c: golden wire transcripts. Each tests/xenstore-lite/
 * transcripts/NAME.in is replayed against a fresh in-process daemon and
 * the transcript it produces must equal NAME.ok byte for byte.
 *
 *   xs_transcript [FILE.in...]   (default: every .in in transcripts/)
 *
 * An .in line is "CLIENT TYPE ARGS", '|' standing for NUL in ARGS, or a
 * comment (#) or blank line, copied as is. CLIENT is dom0, dom0b (a
 * second dom0 tools connection) or gN (guest domain N, introduced on first
 * use); "CLIENT@tx" sends in that client's last started transaction.
 * TYPE is an xs_wire.h name without XS_ (READ, WRITE, ...) or a number.
 * Each request becomes "CLIENT TYPE ARGS -> REPLY", then one line per
 * watch event any client received: "  CLIENT event PATH|TOKEN|".
 * To refresh a golden file after a deliberate change:
 *   xs_transcript --print X.in > X.ok
 * Each transcript is one Check test; Check prints the summary.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "type_names.h"

#define MAX_CLIENTS 8

struct session {
    struct th *t;
    struct {
        char name[16];
        struct th_client *c;
        uint32_t tx;
    } cl[MAX_CLIENTS];
    unsigned n;
};

static int client(struct session *s, const char *name)
{
    unsigned i, domid;

    for (i = 0; i < s->n; i++)
        if (strcmp(s->cl[i].name, name) == 0)
            return (int)i;
    if (s->n == MAX_CLIENTS || strlen(name) >= sizeof(s->cl[0].name))
        return -1;
    if (strcmp(name, "dom0") == 0 || strcmp(name, "dom0b") == 0)
        s->cl[s->n].c = th_dom0(s->t);
    else if (sscanf(name, "g%u", &domid) == 1 && domid > 0 && domid < 100)
        s->cl[s->n].c = th_guest(s->t, domid);
    else
        return -1;
    memcpy(s->cl[s->n].name, name, strlen(name) + 1); /* length checked above */
    s->cl[s->n].tx = 0;
    return (int)s->n++;
}

/* Replay one .in file, appending the transcript to out. */
static int replay(const char *path, FILE *out)
{
    struct session s = {.t = th_new(), .n = 0};
    char line[8192];
    unsigned lineno = 0, i;
    FILE *in = fopen(path, "r");
    int rc = 0;

    if (!in) {
        perror(path);
        th_free(s.t);
        return -1;
    }
    while (fgets(line, sizeof(line), in)) {
        char who[32], tname[32], *args, *at;
        const char *reply;
        uint32_t type;
        bool in_tx;
        int ci;

        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') {
            fprintf(out, "%s\n", line);
            continue;
        }
        if (sscanf(line, "%31s %31s", who, tname) != 2 || xs_type_by_name(tname, &type) < 0) {
            fprintf(stderr, "%s:%u: cannot parse '%s'\n", path, lineno, line);
            rc = -1;
            break;
        }
        args = strstr(line, tname) + strlen(tname);
        args += *args == ' ';
        at = strchr(who, '@');
        in_tx = at && strcmp(at, "@tx") == 0;
        if (at)
            *at = '\0';
        ci = client(&s, who);
        if (ci < 0) {
            fprintf(stderr, "%s:%u: unknown client '%s'\n", path, lineno, who);
            rc = -1;
            break;
        }
        reply = th_do(s.cl[ci].c, type, in_tx ? s.cl[ci].tx : 0, args);
        fprintf(out, "%s -> %s\n", line, reply);
        if (type == XS_TRANSACTION_START && strncmp(reply, "ERR", 3) != 0)
            s.cl[ci].tx = (uint32_t)strtoul(reply, NULL, 10);
        for (i = 0; i < s.n; i++) {
            const char *ev;

            while ((ev = th_event(s.cl[i].c)))
                fprintf(out, "  %s event %s\n", s.cl[i].name, ev);
        }
    }
    fclose(in);
    for (i = 0; i < s.n; i++)
        th_client_free(s.cl[i].c);
    th_free(s.t);
    return rc;
}

static int check_one(const char *in_path)
{
    char ok_path[4096], *got = NULL, *want = NULL;
    size_t got_len = 0, want_len = 0;
    FILE *mem = open_memstream(&got, &got_len), *ok;
    int same;

    if (!mem || replay(in_path, mem) < 0) {
        if (mem)
            fclose(mem);
        free(got);
        return -1;
    }
    fclose(mem);
    snprintf(ok_path, sizeof(ok_path), "%.*s.ok", (int)(strlen(in_path) - 3), in_path);
    ok = fopen(ok_path, "r");
    if (ok) {
        FILE *w = open_memstream(&want, &want_len);
        int ch;

        while ((ch = fgetc(ok)) != EOF)
            fputc(ch, w);
        fclose(w);
        fclose(ok);
    }
    same = want && got_len == want_len && memcmp(got, want, got_len) == 0;
    if (!same)
        printf("%s differs from %s; it produced:\n%s", in_path, ok_path, got);
    free(got);
    free(want);
    return same ? 0 : -1;
}

static char **files;
static size_t nfiles;
static bool print_only;

/* One Check test per transcript (the harness asserts through Check). */
START_TEST(transcript)
{
    if (print_only)
        ck_assert_int_eq(replay(files[_i], stdout), 0);
    else
        ck_assert_msg(check_one(files[_i]) == 0, "%s differs from its .ok", files[_i]);
}
END_TEST

int main(int argc, char **argv)
{
    glob_t g = {0};
    SRunner *sr;
    Suite *s;
    TCase *tc;
    int failed;

    if (argc == 3 && strcmp(argv[1], "--print") == 0) {
        print_only = true;
        files = argv + 2;
        nfiles = 1;
    } else if (argc > 1) {
        files = argv + 1;
        nfiles = (size_t)argc - 1;
    } else if (glob("tests/xenstore-lite/transcripts/*.in", 0, NULL, &g) == 0) {
        files = g.gl_pathv;
        nfiles = g.gl_pathc;
    } else {
        fprintf(stderr, "xs_transcript: no transcripts (run from the repository top)\n");
        return 1;
    }
    s = suite_create("transcripts");
    tc = tcase_create("transcripts");
    tcase_add_loop_test(tc, transcript, 0, (int)nfiles);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, print_only ? CK_SILENT : CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (g.gl_pathv)
        globfree(&g);
    return failed ? 1 : 0;
}
