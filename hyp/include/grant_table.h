/*
 * Grant tables (version 1): how a domain lets another map or copy one of
 * its frames, and how the hypervisor holds both sides to what was granted.
 */
#ifndef PARAVANE_GRANT_TABLE_H
#define PARAVANE_GRANT_TABLE_H

#include "domain.h"

int grant_table_init(struct domain *d);
/* Undo every mapping d holds of other domains' grants. */
void grant_release_mappings(struct domain *d);
/* That, then give d's table frames back (after its page tables are gone). */
void grant_table_destroy(struct domain *d);

#endif
