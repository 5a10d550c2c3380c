/*
 * Thresholds that colour the header, and the steps of the +/- keys.
 *
 * A threshold has a warning and a critical level; a value at or above the
 * critical level is critical (red), at or above the warning level a warning
 * (yellow).  Defaults: swap-out 1 and 10 pages/s and swap 60 % and 80 %
 * full (atop's critical levels, with its "almost critical" below them);
 * PSI memory some 10 % and 25 %, full 2 % and 10 % (avg10).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "swaptop.h"

static const char *const names[TH__COUNT] = {
	[TH_SWAPOUT] = "swapout",
	[TH_SWAP] = "swap",
	[TH_PSI_SOME] = "psi-some",
	[TH_PSI_FULL] = "psi-full",
};

void thresholds_default(struct threshold *th)
{
	th[TH_SWAPOUT] = (struct threshold){ 1, 10 };
	th[TH_SWAP] = (struct threshold){ 60, 80 };
	th[TH_PSI_SOME] = (struct threshold){ 10, 25 };
	th[TH_PSI_FULL] = (struct threshold){ 2, 10 };
}

static int number(const char *s, size_t len, double *v)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	return errno || *end || !isfinite(*v) || *v < 0 ? -1 : 0;
}

/* One NAME=[WARN:]CRIT. */
static int parse_one(struct threshold *th, const char *s, size_t len, char *err, size_t size)
{
	const char *eq = memchr(s, '=', len), *colon;
	struct threshold t;
	size_t i;

	if (!eq) {
		snprintf(err, size, "'%.*s' is not NAME=[WARN:]CRIT", (int)len, s);
		return -1;
	}
	for (i = 0; i < TH__COUNT; i++)
		if (strlen(names[i]) == (size_t)(eq - s) && !strncmp(s, names[i], (size_t)(eq - s)))
			break;
	if (i == TH__COUNT) {
		snprintf(err, size, "unknown threshold '%.*s' (swapout, swap, psi-some, psi-full)",
			 (int)(eq - s), s);
		return -1;
	}
	len -= (size_t)(eq + 1 - s);
	s = eq + 1;
	colon = memchr(s, ':', len);
	if (colon) {
		if (number(s, (size_t)(colon - s), &t.warn) < 0 ||
		    number(colon + 1, len - (size_t)(colon + 1 - s), &t.crit) < 0 || t.warn > t.crit) {
			snprintf(err, size, "%s: '%.*s' is not WARN:CRIT with WARN <= CRIT", names[i],
				 (int)len, s);
			return -1;
		}
	} else {
		if (number(s, len, &t.crit) < 0) {
			snprintf(err, size, "%s: '%.*s' is not a number", names[i], (int)len, s);
			return -1;
		}
		/* the warning level keeps its ratio to the critical one */
		t.warn = th[i].crit > 0 ? t.crit * th[i].warn / th[i].crit : t.crit;
	}
	th[i] = t;
	return 0;
}

int thresholds_parse(struct threshold *th, const char *spec, char *err, size_t size)
{
	const char *p = spec;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len && parse_one(th, p, len, err, size) < 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

enum level th_level(const struct threshold *th, double v)
{
	if (isnan(v))
		return LV_NONE;
	if (v >= th->crit)
		return LV_CRIT;
	if (v >= th->warn)
		return LV_WARN;
	return LV_OK;
}

const char *level_word(enum level lv)
{
	switch (lv) {
	case LV_OK:
		return "ok";
	case LV_WARN:
		return "warn";
	case LV_CRIT:
		return "crit";
	default:
		return "-";
	}
}

static const double speeds[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
				  20000, 50000, 100000, 200000, 500000, 1000000, 0 };
#define NSPEEDS ARRAY_SIZE(speeds)

/* 0 (unlimited) is the fastest. */
double speed_step(double speed, int dir)
{
	size_t i;

	if (speed <= 0)
		return dir > 0 ? 0 : speeds[NSPEEDS - 2];
	for (i = 0; i < NSPEEDS - 1 && speeds[i] < speed; i++)
		;
	/* i: the first step at or above speed */
	if (dir > 0)
		return i < NSPEEDS - 1 && speeds[i] == speed ? speeds[i + 1] : speeds[i];
	return i > 0 ? speeds[i - 1] : speeds[0];
}

static const double intervals[] = { 0.1, 0.2, 0.5, 1, 1.5, 2, 3, 5, 10, 15, 30, 60 };
#define NINTERVALS ARRAY_SIZE(intervals)

/* dir > 0: more often (shorter). */
double interval_step(double seconds, int dir)
{
	size_t i;

	if (dir > 0) {
		for (i = NINTERVALS; i-- > 0;)
			if (intervals[i] < seconds - 1e-9)
				return intervals[i];
		return intervals[0];
	}
	for (i = 0; i < NINTERVALS; i++)
		if (intervals[i] > seconds + 1e-9)
			return intervals[i];
	return seconds > intervals[NINTERVALS - 1] ? seconds : intervals[NINTERVALS - 1];
}

double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
