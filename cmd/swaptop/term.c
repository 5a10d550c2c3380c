/*
 * The terminal: curses set up and torn down, signals, colours (or
 * attributes in monochrome: --mono, NO_COLOR, terminals without colour),
 * UTF-8 block characters or ASCII, and the width of text on screen.
 *
 * SIGINT, SIGTERM and SIGHUP only set a flag: they are blocked except while
 * waiting in ppoll(), so the main loop sees them at once, leaves, and the
 * terminal is restored before the process ends the way the signal asked.
 * Curses handles SIGWINCH itself (KEY_RESIZE), and SIGTSTP.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#include "screen.h"

struct glyphs G;

static const struct glyphs utf8_glyphs = {
	.utf8 = true,
	.spark = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" },
	.part = { "", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" },
	.full = "\u2588",
	.zswap = "\u2593",
	.cache = "\u2592",
	.down = "\u25bc",
	.up = "\u25b2",
};

static const struct glyphs ascii_glyphs = {
	.utf8 = false,
	.spark = { " ", "_", ".", ",", "-", "~", "=", "*", "#" },
	.part = { "", "", "", "", "", "", "", "" },
	.full = "#",
	.zswap = "z",
	.cache = "c",
	.down = "v",
	.up = "^",
};

static SCREEN *screen;
static FILE *tty_in;
static bool active;
static volatile sig_atomic_t got_signal;
static sigset_t wait_mask;              /* the mask while waiting */
static sigset_t saved_mask;
static struct sigaction saved_act[3];
static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };
static attr_t attrs[ST__COUNT];
static bool text_utf8;

bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

static void on_signal(int sig)
{
	got_signal = sig;
}

/* A stop signal that is pending (blocked) also counts: ppoll() does not
 * deliver it when input is ready at once. */
int term_signal(void)
{
	sigset_t p;
	size_t i;

	if (!got_signal && active && sigpending(&p) == 0)
		for (i = 0; i < 3; i++)
			if (sigismember(&p, stop_signals[i])) {
				got_signal = stop_signals[i];
				break;
			}
	return got_signal;
}

static void set_styles(bool colour)
{
	static const struct { enum style st; short fg, bg; attr_t extra; attr_t mono; } map[] = {
		{ ST_NORMAL, -1, -1, 0, A_NORMAL },
		{ ST_TITLE, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		{ ST_HEADER, COLOR_BLACK, COLOR_GREEN, 0, A_BOLD | A_UNDERLINE },
		{ ST_SORTED, COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_REVERSE },
		{ ST_SELECTED, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		{ ST_OK, COLOR_GREEN, -1, 0, A_NORMAL },
		{ ST_WARN, COLOR_YELLOW, -1, A_BOLD, A_BOLD },
		{ ST_CRIT, COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
		{ ST_USED, COLOR_GREEN, -1, 0, A_NORMAL },
		{ ST_ZSWAP, COLOR_MAGENTA, -1, 0, A_NORMAL },
		{ ST_CACHE, COLOR_BLUE, -1, A_BOLD, A_NORMAL },
		{ ST_IN, COLOR_CYAN, -1, 0, A_NORMAL },
		{ ST_OUT, COLOR_YELLOW, -1, 0, A_NORMAL },
		{ ST_LABEL, COLOR_CYAN, -1, A_BOLD, A_BOLD },
		{ ST_TAB, -1, -1, 0, A_NORMAL },
		{ ST_TABSEL, COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD },
		{ ST_MSG, COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
		{ ST_KEY, COLOR_CYAN, -1, A_BOLD, A_BOLD },
	};
	bool defaults = colour && use_default_colors() == OK;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (!colour) {
			attrs[map[i].st] = map[i].mono;
			continue;
		}
		if (map[i].fg < 0 && map[i].bg < 0) {
			attrs[map[i].st] = map[i].extra;
			continue;
		}
		init_pair((short)(i + 1), map[i].fg < 0 && !defaults ? COLOR_WHITE : map[i].fg,
			  map[i].bg < 0 && !defaults ? COLOR_BLACK : map[i].bg);
		attrs[map[i].st] = COLOR_PAIR((int)(i + 1)) | map[i].extra;
	}
}

attr_t style_attr(enum style s)
{
	return attrs[s];
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < 3; i++)
		sigaction(stop_signals[i], &saved_act[i], NULL);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

static void at_exit(void)
{
	term_end();
}

int term_init(const struct opts *o)
{
	static bool registered;
	struct sigaction sa;
	sigset_t block;
	const char *nc = getenv("NO_COLOR");
	FILE *in = stdin;
	size_t i;

	text_utf8 = locale_is_utf8();
	G = text_utf8 && !o->ascii ? utf8_glyphs : ascii_glyphs;
	if (!isatty(STDOUT_FILENO)) {
		cmd_error("standard output is not a terminal (-b gives plain-text frames)");
		return EXIT_USAGE;
	}
	if (!isatty(STDIN_FILENO)) {
		/* the trace may come on stdin: keys come from the terminal */
		tty_in = fopen("/dev/tty", "re");
		if (!tty_in) {
			cmd_error("/dev/tty: %s", strerror(errno));
			return EXIT_SYSERR;
		}
		in = tty_in;
	}

	/* before curses, so that it leaves these handlers alone */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < 3; i++) {
		sigaction(stop_signals[i], &sa, &saved_act[i]);
		sigaddset(&block, stop_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &saved_mask);
	wait_mask = saved_mask;
	for (i = 0; i < 3; i++)
		sigdelset(&wait_mask, stop_signals[i]);

	screen = newterm(NULL, stdout, in);
	if (!screen) {
		restore_signals();
		cmd_error("cannot use the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
		return EXIT_SYSERR;
	}
	active = true;
	if (!registered) {
		atexit(at_exit);
		registered = true;
	}
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	set_styles(!o->mono && !(nc && *nc) && has_colors() && start_color() == OK);
	return 0;
}

int term_end(void)
{
	if (active) {
		endwin();
		delscreen(screen);
		screen = NULL;
		active = false;
		restore_signals();
		if (tty_in) {
			fclose(tty_in);
			tty_in = NULL;
		}
	}
	return got_signal;
}

int term_wait(double seconds)
{
	struct pollfd p = { .fd = tty_in ? fileno(tty_in) : STDIN_FILENO, .events = POLLIN };
	struct timespec ts, *tp = NULL;
	int r;

	if (term_signal())
		return -1;
	if (seconds >= 0) {
		ts.tv_sec = (time_t)seconds;
		ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
		tp = &ts;
	}
	r = ppoll(&p, 1, tp, &wait_mask);
	if (term_signal())
		return -1;
	if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
		got_signal = SIGHUP;    /* the terminal went away */
		return -1;
	}
	return r > 0 ? 1 : 0;
}

/* ------------------------------------------------------------- text */

int text_fit(char *dst, size_t size, const char *src, int width)
{
	size_t o = 0;
	int cols = 0;
	mbstate_t ps;

	memset(&ps, 0, sizeof(ps));
	if (size == 0)
		return 0;
	while (*src && cols < width) {
		if (!text_utf8 || (unsigned char)*src < 0x80) {
			unsigned char c = (unsigned char)*src++;

			if (o + 1 >= size)
				break;
			dst[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
			cols++;
		} else {
			wchar_t wc;
			size_t n = mbrtowc(&wc, src, MB_CUR_MAX, &ps);
			int w;

			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&ps, 0, sizeof(ps));
				if (o + 1 >= size)
					break;
				dst[o++] = '?';
				cols++;
				src++;
				continue;
			}
			w = iswprint((wint_t)wc) ? wcwidth(wc) : -1;
			if (w < 0) {
				if (o + 1 >= size)
					break;
				dst[o++] = '?';
				cols++;
				src += n;
				continue;
			}
			if (cols + w > width || o + n >= size)
				break;
			memcpy(dst + o, src, n);
			o += n;
			cols += w;
			src += n;
		}
	}
	dst[o] = '\0';
	return cols;
}

int text_width(const char *s)
{
	char buf[1024];

	if (!text_utf8) {
		size_t n = strlen(s);

		return n > 4096 ? 4096 : (int)n;
	}
	return text_fit(buf, sizeof(buf), s, 4096);
}
