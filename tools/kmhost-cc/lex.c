/*
 * Finds the #include lines of a C source without preprocessing it: every
 * include is reported, whatever #if it sits under, because which branch is
 * taken is only known to the compiler; an include that resolves to nothing
 * is simply left as written. Lines inside block comments are skipped.
 */
#include "kcc.h"

#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static bool is_ident(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static size_t skip_blanks(const char *s, size_t i, size_t eol)
{
	while (i < eol && is_blank(s[i]))
		i++;
	return i;
}

/* Matches "# include <x>" or "#include "x"" from the start of a line and
 * returns the offset just past the closing delimiter, or 0 when the line
 * is something else (including computed "#include MACRO" and
 * "#include_next", which are left to the compiler). */
static size_t match_include(const char *s, size_t i, size_t eol,
			    struct kcc_rawinc *inc)
{
	char close;
	const char *end;

	i = skip_blanks(s, i, eol);
	if (i >= eol || s[i] != '#')
		return 0;
	i = skip_blanks(s, i + 1, eol);
	if (eol - i < 7 || memcmp(s + i, "include", 7) != 0)
		return 0;
	i += 7;
	if (i < eol && is_ident(s[i]))
		return 0;
	i = skip_blanks(s, i, eol);
	if (i >= eol || (s[i] != '"' && s[i] != '<'))
		return 0;
	inc->angle = s[i] == '<';
	close = inc->angle ? '>' : '"';
	end = memchr(s + i + 1, close, eol - i - 1);
	if (!end)
		return 0;
	inc->start = i + 1;
	inc->end = (size_t)(end - s);
	return inc->end + 1;
}

/* Carries the block-comment state across the rest of a line; string and
 * character literals are followed so a comment opener inside one opens
 * nothing. */
static bool track_comments(const char *s, size_t i, size_t eol, bool in_comment)
{
	char quote = 0;

	for (; i < eol; i++) {
		if (in_comment) {
			if (s[i] == '*' && i + 1 < eol && s[i + 1] == '/')
				in_comment = false, i++;
		} else if (quote) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '/' && i + 1 < eol && s[i + 1] == '*') {
			in_comment = true, i++;
		} else if (s[i] == '/' && i + 1 < eol && s[i + 1] == '/') {
			break;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		}
	}
	return in_comment;
}

static void push(struct kcc_rawinc **v, size_t *n, size_t *cap,
		 const struct kcc_rawinc *inc)
{
	if (*n == *cap) {
		struct kcc_rawinc *nv;

		*cap = *cap ? *cap * 2 : 16;
		nv = kcc_alloc(*cap * sizeof(*nv));
		if (*n)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
	}
	(*v)[(*n)++] = *inc;
}

size_t kcc_find_includes(const char *s, size_t len, struct kcc_rawinc **out)
{
	size_t n = 0, cap = 0;
	bool in_comment = false;
	struct kcc_rawinc *v = NULL;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t eol = nl ? (size_t)(nl - s) : len;
		size_t rest = i;
		struct kcc_rawinc inc;

		if (!in_comment) {
			size_t past = match_include(s, i, eol, &inc);

			if (past) {
				push(&v, &n, &cap, &inc);
				rest = past;
			}
		}
		in_comment = track_comments(s, rest, eol, in_comment);
		i = eol + 1;
	}
	*out = v;
	return n;
}
