/* clock.c — priority and the Framework's clocks.
 * Priority: high when a flag is set and the reporter is a verified law
 * enforcement, government or trusted-third-party reporter; standard for other
 * verified reporters and for flagged reports from unverified ones (those
 * carry urgent_claim); low otherwise.
 * Clocks: ack_due = received + ack_hours; response_due = (acknowledgement,
 * or ack_due while not acknowledged) + the priority's response hours. A
 * clock runs while its answer is missing: the acknowledgement clock in state
 * new, the response clock in state acknowledged; a case is overdue when now
 * is past (strictly after) the running clock's due time. */
#include <string.h>

#include "desk/desk_int.h"

const char *clock_priority(const char *tier, bool verified, unsigned flags, bool *urgent)
{
	bool strong = strcmp(tier, "law_enforcement") == 0 || strcmp(tier, "government") == 0 ||
	              strcmp(tier, "trusted_third_party") == 0;
	*urgent = false;
	if (flags != 0 && verified && strong)
		return "high";
	if (flags != 0) {
		*urgent = true;
		return "standard";
	}
	return verified ? "standard" : "low";
}

int clock_prio_rank(const char *priority)
{
	return strcmp(priority, "high") == 0 ? 0 : strcmp(priority, "standard") == 0 ? 1 : 2;
}

void clock_update(const policy_t *p, store_case_t *c)
{
	c->ack_due = c->received_at + (int64_t)p->ack_hours * 3600;
	int64_t base = c->acked_at != 0 ? c->acked_at : c->ack_due;
	c->response_due = base + (int64_t)policy_response_hours(p, c->priority) * 3600;
	c->prio_rank = clock_prio_rank(c->priority);
	if (strcmp(c->state, "new") == 0)
		c->next_due = c->ack_due;
	else if (strcmp(c->state, "acknowledged") == 0)
		c->next_due = c->response_due;
	else
		c->next_due = 0;
}

const char *desk_case_clock(const store_case_t *c, int64_t *due)
{
	*due = c->next_due;
	if (c->next_due == 0)
		return NULL;
	return strcmp(c->state, "new") == 0 ? "ack" : "response";
}

bool desk_case_overdue(const store_case_t *c, int64_t now)
{
	return c->next_due != 0 && now > c->next_due;
}
