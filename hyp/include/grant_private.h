/*
 * Inside the grant tables: the table itself, shared by grant_table.c (the
 * operations on grants, and version 1's entries) and grant_v2.c (version
 * 2's entries and status frames, and switching between the versions).
 * Nothing else includes this.
 *
 * The active counts are laid out by version 1's geometry (512 entries a
 * frame) whatever the version: version 2 has fewer entries a frame (256),
 * so every reference either version accepts has its slot.
 */
#ifndef PARAVANE_GRANT_PRIVATE_H
#define PARAVANE_GRANT_PRIVATE_H

#include "domain.h"
#include "hypercall.h"
#include "lib.h"
#include "spinlock.h"
#include <xen/grant_table.h>

#define GNT_MAX_FRAMES        32
#define GNT_PER_FRAME         (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define GNT_V2_PER_FRAME      (PAGE_SIZE / sizeof(grant_entry_v2_t))
#define GNT_STATUS_PER_FRAME  (PAGE_SIZE / sizeof(grant_status_t))
#define GNT_MAX_STATUS_FRAMES (GNT_MAX_FRAMES * GNT_V2_PER_FRAME / GNT_STATUS_PER_FRAME)

struct grant_active {
    uint16_t readers, writers;
};

struct maptrack;

struct grant_table {
    spinlock_t lock;
    spinlock_t maptrack_lock; /* taken before lock: see grant_table.c */
    unsigned int nr_frames;
    unsigned int max_frames;   /* GNT_MAX_FRAMES unless its creator asked fewer */
    unsigned int max_maptrack; /* MAPTRACK_MAX, likewise */
    unsigned int version;      /* 1 or 2: the layout of shared[] (set_version) */
    unsigned int max_version;  /* 2 unless its creator asked 1 (grant_opts) */
    unsigned int nr_status_frames;
    grant_entry_v1_t *shared[GNT_MAX_FRAMES]; /* grant_entry_v2_t under version 2 */
    grant_status_t *status[GNT_MAX_STATUS_FRAMES];
    struct grant_active *active[GNT_MAX_FRAMES];
    struct maptrack *maptrack; /* MAPTRACK_MAX, allocated on first map */
};

/* What a pinned grant lets its user reach: a frame, or a part of it. */
struct grant_span {
    mfn_t frame;
    uint16_t offset, length;
};

static inline struct grant_active *grant_active_of(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GNT_PER_FRAME][ref % GNT_PER_FRAME];
}

/* Entries the table holds now, in its version's layout. Lock held. */
static inline unsigned int grant_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * (unsigned int)(gt->version == 2 ? GNT_V2_PER_FRAME : GNT_PER_FRAME);
}

/* Clear a fresh xenheap page and share it with d as its own (a grant or
 * status frame: d maps it by its machine frame, as a PV guest does). */
void grant_share_page(struct domain *d, void *page);
/*
 * Grow d's table to nr frames, and its status frames with it under
 * version 2: 0 or -XEN_ENOMEM. Table lock held.
 */
int grant_grow_table(struct domain *d, unsigned int nr);
/* Does anyone (its domain, a foreign mapper) still hold a reference to it? */
bool grant_shared_page_mapped(const void *page);
/* Give it up: freed now, or when the last mapping of it goes. */
void grant_release_shared_page(void *page);

/*
 * Version 2 (grant_v2.c). The table lock is held for each but the
 * hypercalls.
 *
 * grant_v2_claim: entry `ref` (below grant_nr_entries) must let domain
 * `user` map (or copy, if !map) its frame, writably unless readonly; on
 * GNTST_okay GTF_reading (and GTF_writing) are set in its status word and
 * *span is what it grants. A sub-page or transitive grant cannot be
 * mapped; a transitive one is not followed (Xen with transitive=0).
 */
int grant_v2_claim(struct grant_table *gt, grant_ref_t ref, domid_t user, bool readonly, bool map,
                   struct grant_span *span);
/* Make entry ref's status bits say what its active counts say. */
void grant_v2_sync_status(struct grant_table *gt, grant_ref_t ref);
/* Status frames for a table of nr_frames grant frames: 0 or -XEN_ENOMEM. */
int grant_v2_grow_status(struct domain *d, unsigned int nr_frames);
/* Give them back as the domain goes (freed once unmapped). */
void grant_v2_destroy(struct grant_table *gt);
long grant_v2_set_version(guest_ptr_t uop);
long grant_v2_get_version(guest_ptr_t uop);
long grant_v2_get_status_frames(guest_ptr_t uop, unsigned int count);

#endif
