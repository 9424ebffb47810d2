/*
 * Intrusive doubly linked lists. A list_head embedded in an object links it
 * into exactly one list at a time; the head of an empty list points to
 * itself.
 */
#ifndef PARAVANE_LIST_H
#define PARAVANE_LIST_H

#include "compiler.h"
#include "types.h"

struct list_head {
    struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)                                                                       \
    {                                                                                              \
        &(name), &(name)                                                                           \
    }

static inline void list_init(struct list_head *h)
{
    h->next = h;
    h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
    return h->next == h;
}

static inline void __list_insert(struct list_head *n, struct list_head *prev,
                                 struct list_head *next)
{
    next->prev = n;
    n->next = next;
    n->prev = prev;
    prev->next = n;
}

/* Insert `n` right after `h` (at the front when `h` is the head). */
static inline void list_add(struct list_head *n, struct list_head *h)
{
    __list_insert(n, h, h->next);
}

/* Insert `n` right before `h` (at the back when `h` is the head). */
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
    __list_insert(n, h->prev, h);
}

static inline void list_del(struct list_head *n)
{
    n->next->prev = n->prev;
    n->prev->next = n->next;
    n->next = n->prev = n;
}

#define list_entry(ptr, type, member)     container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)

#define list_for_each(pos, h) for (pos = (h)->next; pos != (h); pos = pos->next)
#define list_for_each_safe(pos, tmp, h)                                                            \
    for (pos = (h)->next, tmp = pos->next; pos != (h); pos = tmp, tmp = pos->next)

#endif
