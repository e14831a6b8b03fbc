/* action.h — the registry's actions on a domain (the Framework's list, and
 * for unregistered DGA names block, reserve, register). The desk's calls
 * that take them are in desk.h. */
#ifndef TS_DESK_ACTION_H
#define TS_DESK_ACTION_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) names an action. */
bool action_kind_known_n(const char *s, size_t n);
/* The comma-separated list of every action name (static). */
const char *action_kinds_text(void);

#endif
