/*
 * Grant tables (version 1): how a domain lets another map or copy one of
 * its frames, and how the hypervisor holds both sides to what was granted.
 */
#ifndef PARAVANE_GRANT_TABLE_H
#define PARAVANE_GRANT_TABLE_H

#include "domain.h"
#include <xen/grant_table.h>

int grant_table_init(struct domain *d);
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

#endif
