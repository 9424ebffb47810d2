/*
 * Shared by the xl.cfg parser's Check suites: parse a text as "d1.cfg"
 * and look at the result or at its first message.
 */
#ifndef TESTS_TOOLSTACK_CFG_TEST_H
#define TESTS_TOOLSTACK_CFG_TEST_H

#include "xlcfg.h"
#include <check.h>
#include <string.h>
#include <xen/errno.h>

/* The two keys every configuration needs. */
#define MINIMAL "name = 'd1'\nkernel = '/boot/vmlinuz'\n"

static inline int parse_ov(const char *text, char *const *ov, int n_ov, struct domain_config *dc,
                           struct xlcfg_diag *diag)
{
    return xlcfg_parse("d1.cfg", text, strlen(text), ov, n_ov, dc, diag);
}

static inline int parse(const char *text, struct domain_config *dc, struct xlcfg_diag *diag)
{
    return parse_ov(text, NULL, 0, dc, diag);
}

/* The first message of severity SEV, or "" if none. */
static inline const char *first_msg(const struct xlcfg_diag *diag, enum xlcfg_severity sev)
{
    unsigned int i;

    for (i = 0; i < diag->n; i++) {
        if (diag->msg[i].severity == sev)
            return diag->msg[i].text;
    }
    return "";
}

/* TEXT (with overrides OV) must fail with MSG as its first error. */
#define ck_fails_ov(text, ov, n_ov, msg)                                                           \
    do {                                                                                           \
        struct domain_config dc_;                                                                  \
        struct xlcfg_diag diag_;                                                                   \
        int rc_ = parse_ov((text), (ov), (n_ov), &dc_, &diag_);                                    \
        ck_assert_int_eq(rc_, -XEN_EINVAL);                                                        \
        ck_assert_uint_ge(diag_.errors, 1);                                                        \
        ck_assert_str_eq(first_msg(&diag_, XLCFG_ERROR), (msg));                                   \
        ck_assert_ptr_null(dc_.name);                                                              \
        ck_assert_ptr_null(dc_.disks);                                                             \
        domain_config_free(&dc_);                                                                  \
    } while (0)

#define ck_fails(text, msg) ck_fails_ov(text, NULL, 0, msg)

/* A disk or vif spec must be refused with ERR. */
#define ck_disk_fails(spec, msg)                                                                   \
    do {                                                                                           \
        struct xlcfg_disk d_;                                                                      \
        char e_[XLCFG_DIAG_MSG_LEN] = "";                                                          \
        ck_assert_int_eq(xlcfg_parse_disk((spec), &d_, e_, sizeof(e_)), -XEN_EINVAL);              \
        ck_assert_str_eq(e_, (msg));                                                               \
        ck_assert_ptr_null(d_.target);                                                             \
        ck_assert_ptr_null(d_.vdev);                                                               \
    } while (0)

#define ck_vif_fails(spec, msg)                                                                    \
    do {                                                                                           \
        struct xlcfg_vif v_;                                                                       \
        char e_[XLCFG_DIAG_MSG_LEN] = "";                                                          \
        ck_assert_int_eq(xlcfg_parse_vif((spec), &v_, e_, sizeof(e_)), -XEN_EINVAL);               \
        ck_assert_str_eq(e_, (msg));                                                               \
        ck_assert_ptr_null(v_.bridge);                                                             \
    } while (0)

Suite *suite_good(void);
Suite *suite_syntax(void);
Suite *suite_keys(void);
Suite *suite_devices(void);
Suite *suite_units(void);

#endif
