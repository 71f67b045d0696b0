/*
 * <conio.h> for programs run on Linux: _kbhit, _getch, _getche, _putch.
 * On a terminal a key is available without Enter, so the terminal is put
 * in non-canonical mode (and without echo for _getch) for the moment of
 * the call and restored after. On a pipe or file the bytes of stdin are
 * the keys; at the end of the input _kbhit says yes and _getch returns
 * EOF, so a program waiting for a key does not wait forever.
 * Reads go through stdin's stdio buffer, so they mix with getchar().
 */
#include "internal.h"

#include <poll.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

/* Switches a terminal stdin to one-key reads; false if it is not one. */
static bool raw_begin(struct termios *saved, bool echo)
{
    struct termios t;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, saved) != 0)
        return false;
    t = *saved;
    t.c_lflag &= ~(tcflag_t)ICANON;
    if (!echo)
        t.c_lflag &= ~(tcflag_t)ECHO;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    return tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
}

static void raw_end(const struct termios *saved)
{
    tcsetattr(STDIN_FILENO, TCSANOW, saved);
}

/* Whether stdio already holds unread bytes of stdin (glibc's FILE). */
static bool stdin_buffered(void)
{
    return stdin->_IO_read_ptr < stdin->_IO_read_end;
}

/* Nonzero when a key (or the end of a non-terminal input) is waiting. */
KMH_EXPORT int kmh__kbhit(void)
{
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    struct termios saved;
    bool raw;
    int ready;

    if (stdin_buffered())
        return 1;
    raw = raw_begin(&saved, false);
    ready = poll(&p, 1, 0) > 0;
    if (raw)
        raw_end(&saved);
    return ready;
}

static int get_key(bool echo)
{
    struct termios saved;
    bool raw = raw_begin(&saved, echo);
    int c;

    fflush(stdout);
    c = getchar();
    if (raw)
        raw_end(&saved);
    else if (echo && c != EOF)
        putchar(c);
    return c;
}

/* The next key, not echoed; EOF at the end of the input. */
KMH_EXPORT int kmh__getch(void)
{
    return get_key(false);
}

/* The next key, echoed. */
KMH_EXPORT int kmh__getche(void)
{
    return get_key(true);
}

/* Writes one character to the console; c, or EOF. */
KMH_EXPORT int kmh__putch(int c)
{
    return putchar(c);
}
