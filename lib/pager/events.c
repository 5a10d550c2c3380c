/*
 * What went wrong in a run, as events for the report (one per trace line,
 * kind and device, the pages adding up), and the names of lost pages.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

#define LOST_NAMES_MAX 10000
#define EVENTS_MAX 10000

static const char *const event_names[] = {
	[SWAPCTL_EV_PAGEOUT_FAILED] = "pageout-failed",
	[SWAPCTL_EV_FAULT_FAILED] = "fault-failed",
	[SWAPCTL_EV_RAM_KEPT] = "ram-kept",
	[SWAPCTL_EV_WRITE_ERROR] = "write-error",
	[SWAPCTL_EV_LOST] = "lost",
	[SWAPCTL_EV_SWAPOFF_FAILED] = "swapoff-failed",
	[SWAPCTL_EV_LOW_WATER] = "low-water",
};

SWAPCTL_EXPORT const char *swapctl_event_name(enum swapctl_event_kind k)
{
	return (unsigned)k < ARRAY_SIZE(event_names) ? event_names[k] : "?";
}

/* The reason of the kinds whose pages add up, from their count. */
static void count_reason(struct swapctl_event *v)
{
	unsigned long long n = (unsigned long long)v->pages;
	const char *s = n == 1 ? "" : "s";

	switch (v->kind) {
	case SWAPCTL_EV_PAGEOUT_FAILED:
		snprintf(v->reason, sizeof(v->reason), "%llu page%s stay in RAM: no swap left to page %s out", n, s,
			 n == 1 ? "it" : "them");
		break;
	case SWAPCTL_EV_FAULT_FAILED:
		snprintf(v->reason, sizeof(v->reason),
			 "%llu page%s not brought in: RAM is full of pages swap cannot take", n, s);
		break;
	case SWAPCTL_EV_WRITE_ERROR:
		snprintf(v->reason, sizeof(v->reason),
			 "%llu write error%s: slot%s retired, the page%s stay%s in RAM", n, s, s, s, n == 1 ? "s" : "");
		break;
	case SWAPCTL_EV_LOST:
		snprintf(v->reason, sizeof(v->reason), "%llu page%s lost: could not be read back", n, s);
		break;
	default:
		break;
	}
}

/* reason NULL: a kind whose pages add up (count_reason) */
static void event_add(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d,
		      uint64_t pages, const char *reason)
{
	bool counted = !reason;
	const char *dev = d ? d->name : "";
	struct swapctl_event *v;
	size_t i;

	if (kind == SWAPCTL_EV_PAGEOUT_FAILED)
		e->st.pageout_failures += pages;
	else if (kind == SWAPCTL_EV_FAULT_FAILED)
		e->st.fault_failures += pages;
	/* one event per line, kind and device: look back over this line's */
	for (i = e->nevents; counted && e->ev_line && i > 0 && e->events[i - 1].line == e->ev_line; i--) {
		v = &e->events[i - 1];
		if (v->kind == kind && !strcmp(v->dev, dev)) {
			v->pages += pages;
			count_reason(v);
			return;
		}
	}
	if (kind == SWAPCTL_EV_SWAPOFF_FAILED || kind == SWAPCTL_EV_LOW_WATER)
		e->st.warnings++;
	else
		e->st.failures++;
	if (e->nevents == EVENTS_MAX)
		return;
	if (e->nevents == e->capevents) {
		size_t cap = e->capevents ? e->capevents * 2 : 16;
		struct swapctl_event *nv = realloc(e->events, cap * sizeof(*nv));

		if (!nv)
			return;         /* counted, not listed */
		e->events = nv;
		e->capevents = cap;
	}
	v = &e->events[e->nevents++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->failure = kind != SWAPCTL_EV_SWAPOFF_FAILED && kind != SWAPCTL_EV_LOW_WATER;
	v->line = e->ev_line;
	snprintf(v->text, sizeof(v->text), "%s", e->ev_text ? e->ev_text : "");
	snprintf(v->dev, sizeof(v->dev), "%s", dev);
	v->pages = pages;
	if (counted)
		count_reason(v);
	else
		snprintf(v->reason, sizeof(v->reason), "%s", reason);
}

void engine_count(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d, uint64_t pages)
{
	event_add(e, kind, d, pages, NULL);
}

void engine_event(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d,
		  uint64_t pages, const char *fmt, ...)
{
	char reason[sizeof(((struct swapctl_event *)0)->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	event_add(e, kind, d, pages, reason);
}

SWAPCTL_EXPORT size_t swapctl_engine_nevents(const struct swapctl_engine *e)
{
	return e->nevents;
}

SWAPCTL_EXPORT const struct swapctl_event *swapctl_engine_event(const struct swapctl_engine *e, size_t i)
{
	return i < e->nevents ? &e->events[i] : NULL;
}

void engine_lost(struct swapctl_engine *e, struct pobj *o, uint64_t idx)
{
	e->st.lost_pages++;
	o->lost++;
	if (e->nlost < LOST_NAMES_MAX) {
		if (e->nlost == e->caplost) {
			size_t cap = e->caplost ? e->caplost * 2 : 16;
			struct swapctl_lost *v = realloc(e->lost, cap * sizeof(*v));

			if (!v)
				return;
			e->lost = v;
			e->caplost = cap;
		}
		snprintf(e->lost[e->nlost].obj, sizeof(e->lost[0].obj), "%s", o->id);
		e->lost[e->nlost].index = idx;
		e->lost[e->nlost].dev[0] = '\0';
		e->nlost++;
	}
}

SWAPCTL_EXPORT size_t swapctl_engine_nlost(const struct swapctl_engine *e)
{
	return e->nlost;
}

SWAPCTL_EXPORT const struct swapctl_lost *swapctl_engine_lost(const struct swapctl_engine *e, size_t i)
{
	return i < e->nlost ? &e->lost[i] : NULL;
}

