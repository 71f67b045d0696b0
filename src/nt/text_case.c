/*
 * Locale-free case mapping of UTF-16 units, as Windows' kernel upcase
 * table does it: one unit in, one unit out. glibc's towupper depends on
 * the process locale and on a 32-bit wchar_t, so it is never used.
 *
 * The table lists lowercase runs and how far their uppercase partners
 * are. A run with step 1 maps every unit by delta; a run with step 2 is an
 * alternating upper/lower block where every second unit (starting at lo)
 * is lowercase and its partner is delta away. Runs are sorted and disjoint.
 * Which blocks are covered, and which letters are left alone, is said in
 * text.h. Downcasing searches the same table backwards; runs marked
 * UP_ONLY fold a second lowercase letter into an uppercase one that
 * already has a partner (micro sign and final sigma), so they are skipped.
 */
#include "internal.h"
#include "text.h"

enum { UP_ONLY = 1 };

struct case_run {
    uint16_t lo, hi;
    int16_t delta;
    uint8_t step, flags;
};

static const struct case_run case_runs[] = {
    { 0x0061, 0x007A, -32, 1, 0 },   { 0x00B5, 0x00B5, 743, 1, UP_ONLY },
    { 0x00E0, 0x00F6, -32, 1, 0 },   { 0x00F8, 0x00FE, -32, 1, 0 },
    { 0x00FF, 0x00FF, 121, 1, 0 },   { 0x0101, 0x012F, -1, 2, 0 },
    { 0x0133, 0x0137, -1, 2, 0 },    { 0x013A, 0x0148, -1, 2, 0 },
    { 0x014B, 0x0177, -1, 2, 0 },    { 0x017A, 0x017E, -1, 2, 0 },
    /* Latin Extended-B */
    { 0x0180, 0x0180, 195, 1, 0 },   { 0x0183, 0x0185, -1, 2, 0 },
    { 0x0188, 0x0188, -1, 1, 0 },    { 0x018C, 0x018C, -1, 1, 0 },
    { 0x0192, 0x0192, -1, 1, 0 },    { 0x0195, 0x0195, 97, 1, 0 },
    { 0x0199, 0x0199, -1, 1, 0 },    { 0x019A, 0x019A, 163, 1, 0 },
    { 0x019E, 0x019E, 130, 1, 0 },   { 0x01A1, 0x01A5, -1, 2, 0 },
    { 0x01A8, 0x01A8, -1, 1, 0 },    { 0x01AD, 0x01AD, -1, 1, 0 },
    { 0x01B0, 0x01B0, -1, 1, 0 },    { 0x01B4, 0x01B6, -1, 2, 0 },
    { 0x01B9, 0x01B9, -1, 1, 0 },    { 0x01BD, 0x01BD, -1, 1, 0 },
    { 0x01BF, 0x01BF, 56, 1, 0 },    { 0x01C6, 0x01C6, -2, 1, 0 },
    { 0x01C9, 0x01C9, -2, 1, 0 },    { 0x01CC, 0x01CC, -2, 1, 0 },
    { 0x01CE, 0x01DC, -1, 2, 0 },    { 0x01DD, 0x01DD, -79, 1, 0 },
    { 0x01DF, 0x01EF, -1, 2, 0 },    { 0x01F3, 0x01F3, -2, 1, 0 },
    { 0x01F5, 0x01F5, -1, 1, 0 },    { 0x01F9, 0x021F, -1, 2, 0 },
    { 0x0223, 0x0233, -1, 2, 0 },    { 0x023C, 0x023C, -1, 1, 0 },
    { 0x0242, 0x0242, -1, 1, 0 },    { 0x0247, 0x024F, -1, 2, 0 },
    /* Greek and Coptic */
    { 0x03AC, 0x03AC, -38, 1, 0 },   { 0x03AD, 0x03AF, -37, 1, 0 },
    { 0x03B1, 0x03C1, -32, 1, 0 },   { 0x03C2, 0x03C2, -31, 1, UP_ONLY },
    { 0x03C3, 0x03CB, -32, 1, 0 },   { 0x03CC, 0x03CC, -64, 1, 0 },
    { 0x03CD, 0x03CE, -63, 1, 0 },   { 0x03D9, 0x03EF, -1, 2, 0 },
    { 0x03F8, 0x03F8, -1, 1, 0 },    { 0x03FB, 0x03FB, -1, 1, 0 },
    /* Cyrillic, Armenian */
    { 0x0430, 0x044F, -32, 1, 0 },   { 0x0450, 0x045F, -80, 1, 0 },
    { 0x0461, 0x0481, -1, 2, 0 },    { 0x048B, 0x04BF, -1, 2, 0 },
    { 0x04C2, 0x04CE, -1, 2, 0 },    { 0x04CF, 0x04CF, -15, 1, 0 },
    { 0x04D1, 0x052F, -1, 2, 0 },    { 0x0561, 0x0586, -48, 1, 0 },
    /* Latin Extended Additional, Greek Extended (letters without iota) */
    { 0x1E01, 0x1E95, -1, 2, 0 },    { 0x1EA1, 0x1EFF, -1, 2, 0 },
    { 0x1F00, 0x1F07, 8, 1, 0 },     { 0x1F10, 0x1F15, 8, 1, 0 },
    { 0x1F20, 0x1F27, 8, 1, 0 },     { 0x1F30, 0x1F37, 8, 1, 0 },
    { 0x1F40, 0x1F45, 8, 1, 0 },     { 0x1F51, 0x1F57, 8, 2, 0 },
    { 0x1F60, 0x1F67, 8, 1, 0 },     { 0x1F70, 0x1F71, 74, 1, 0 },
    { 0x1F72, 0x1F75, 86, 1, 0 },    { 0x1F76, 0x1F77, 100, 1, 0 },
    { 0x1F78, 0x1F79, 128, 1, 0 },   { 0x1F7A, 0x1F7B, 112, 1, 0 },
    { 0x1F7C, 0x1F7D, 126, 1, 0 },   { 0x1FB0, 0x1FB1, 8, 1, 0 },
    { 0x1FD0, 0x1FD1, 8, 1, 0 },     { 0x1FE0, 0x1FE1, 8, 1, 0 },
    { 0x1FE5, 0x1FE5, 7, 1, 0 },
    /* Letterlike, number forms, enclosed letters */
    { 0x214E, 0x214E, -28, 1, 0 },   { 0x2170, 0x217F, -16, 1, 0 },
    { 0x2184, 0x2184, -1, 1, 0 },    { 0x24D0, 0x24E9, -26, 1, 0 },
    /* Glagolitic, Latin Extended-C, Coptic, Georgian Nuskhuri */
    { 0x2C30, 0x2C5E, -48, 1, 0 },   { 0x2C61, 0x2C61, -1, 1, 0 },
    { 0x2C65, 0x2C65, -10795, 1, 0 }, { 0x2C66, 0x2C66, -10792, 1, 0 },
    { 0x2C68, 0x2C6C, -1, 2, 0 },    { 0x2C73, 0x2C73, -1, 1, 0 },
    { 0x2C76, 0x2C76, -1, 1, 0 },    { 0x2C81, 0x2CE3, -1, 2, 0 },
    { 0x2D00, 0x2D25, -7264, 1, 0 },
    /* Cyrillic Extended-B, Latin Extended-D, fullwidth forms */
    { 0xA641, 0xA66D, -1, 2, 0 },    { 0xA681, 0xA69B, -1, 2, 0 },
    { 0xA723, 0xA72F, -1, 2, 0 },    { 0xA733, 0xA76F, -1, 2, 0 },
    { 0xA77A, 0xA77C, -1, 2, 0 },    { 0xA77F, 0xA787, -1, 2, 0 },
    { 0xA78C, 0xA78C, -1, 1, 0 },    { 0xA791, 0xA793, -1, 2, 0 },
    { 0xA797, 0xA7A9, -1, 2, 0 },    { 0xFF41, 0xFF5A, -32, 1, 0 },
};

static bool run_has(const struct case_run *r, unsigned c)
{
    return c >= r->lo && c <= r->hi && (c - r->lo) % r->step == 0;
}

WCHAR nt_upcase(WCHAR c)
{
    size_t lo = 0, hi = KMH_ARRAY_SIZE(case_runs);

    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? (WCHAR)(c - 32) : c;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct case_run *r = &case_runs[mid];
        if (c < r->lo)
            hi = mid;
        else if (c > r->hi)
            lo = mid + 1;
        else
            return run_has(r, c) ? (WCHAR)(c + r->delta) : c;
    }
    return c;
}

WCHAR nt_downcase(WCHAR c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? (WCHAR)(c + 32) : c;
    for (size_t i = 0; i < KMH_ARRAY_SIZE(case_runs); i++) {
        const struct case_run *r = &case_runs[i];
        unsigned lower = (unsigned)(c - r->delta);
        if (!(r->flags & UP_ONLY) && run_has(r, lower))
            return (WCHAR)lower;
    }
    return c;
}
