/* progress.c — "label [=====>    ]  45%  123.4/274.0 MB  98.1 MB/s". */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/progress.h"

#define BAR_WIDTH 30

uint64_t ts_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ts_progress_format(char *buf, size_t cap, const char *label, uint64_t done,
                        uint64_t total, double seconds)
{
	double mb = (double)done / 1e6;
	double rate = seconds > 0 ? mb / seconds : 0;
	if (total == 0) {
		snprintf(buf, cap, "%s %.1f MB  %.1f MB/s", label, mb, rate);
		return;
	}
	if (done > total)
		done = total;
	unsigned pct = (unsigned)(done * 100 / total);
	unsigned fill = (unsigned)(done * BAR_WIDTH / total);
	char bar[BAR_WIDTH + 1];
	for (unsigned i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
	bar[BAR_WIDTH] = '\0';
	snprintf(buf, cap, "%s [%s] %3u%%  %.1f/%.1f MB  %.1f MB/s", label, bar, pct, mb,
	         (double)total / 1e6, rate);
}

void ts_progress_init(ts_progress_t *p, const char *label, uint64_t total, bool enable)
{
	memset(p, 0, sizeof(*p));
	p->on = enable && isatty(STDERR_FILENO);
	p->label = label;
	p->total = total;
	p->start_ns = p->last_ns = ts_mono_ns();
}

void ts_progress_update(ts_progress_t *p, uint64_t done)
{
	if (!p->on)
		return;
	uint64_t now = ts_mono_ns();
	if (now - p->last_ns < 100000000u)
		return;
	p->last_ns = now;
	char line[160];
	ts_progress_format(line, sizeof(line), p->label, done, p->total,
	                   (double)(now - p->start_ns) / 1e9);
	fprintf(stderr, "\r%s", line);
	fflush(stderr);
}

void ts_progress_done(ts_progress_t *p)
{
	if (!p->on)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	p->on = false;
}
