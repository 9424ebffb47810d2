/*
 * Grant tables (versions 1 and 2): how a domain lets another map or copy one of
 * its frames, and how the hypervisor holds both sides to what was granted.
 */
#ifndef PARAVANE_GRANT_TABLE_H
#define PARAVANE_GRANT_TABLE_H

#include "domain.h"
#include <xen/grant_table.h>

int grant_table_init(struct domain *d);
/*
 * createdomain's max_grant_frames and max_maptrack_frames (negative: the
 * most there is), checked as Xen checks them: -XEN_EINVAL beyond. With d
 * NULL, only the check.
 */
int grant_table_set_limits(struct domain *d, int32_t frames, int32_t maptrack_frames);
/*
 * createdomain's grant_opts version: the highest grant-table version the
 * domain may switch to (GNTTABOP_set_version), 1 or 2, else -XEN_EINVAL.
 * With d NULL, only the check.
 */
int grant_table_set_max_version(struct domain *d, unsigned int max_version);
/*
 * The builder's grant: entry `ref` (a reserved one, in the first frame)
 * lets `grantee` map d's `frame`, as Xen's toolstack fills
 * GNTTAB_RESERVED_XENSTORE for xenstored. 0 or a negative Xen errno.
 */
int grant_table_seed(struct domain *d, grant_ref_t ref, domid_t grantee, mfn_t frame);
/* Undo every mapping d holds of other domains' grants. */
void grant_release_mappings(struct domain *d);
/* That, then give d's table frames back (after its page tables are gone). */
void grant_table_destroy(struct domain *d);
/* The table's structure itself, as the domain is freed (destroying it
 * first if that has not been done). */
void grant_table_free(struct domain *d);

#endif
