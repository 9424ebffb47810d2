/*
 * The x86 branch/call/jump filter (.xz filter 0x04), decoding direction.
 *
 * The encoder turned the 32-bit relative targets of E8 (call) and E9
 * (jmp) instructions into absolute ones, which repeat across a kernel and
 * so compress better. Decoding subtracts the position back out. Only
 * targets whose top byte is 0x00 or 0xFF are touched (plausible nearby
 * code), and a recent run of E8/E9 bytes that were not converted is
 * remembered as a 3-bit history: it marks bytes the encoder may have
 * taken for instruction operands, which decide whether this candidate was
 * converted and which of its bytes must be undone again.
 */
#include "private.h"

static bool top_byte_plain(uint8_t b)
{
    return b == 0x00 || b == 0xFF;
}

/* For each history: may a conversion happen, and which operand byte the history points into. */
static const bool hist_allows[8] = {true, true, true, false, true, false, false, false};
static const uint8_t hist_byte[8] = {0, 1, 2, 2, 3, 3, 3, 3};

void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start)
{
    size_t last = (size_t)-1; /* offset of the previous E8/E9 seen */
    uint32_t hist = 0;

    if (len < 5)
        return;
    for (size_t i = 0; i < len - 4; i++) {
        size_t gap;

        if ((buf[i] & 0xFE) != 0xE8)
            continue;
        gap = i - last;
        if (gap > 3) {
            hist = 0;
        } else {
            hist = (hist << (gap - 1)) & 7;
            if (hist && (!hist_allows[hist] || top_byte_plain(buf[i + 4 - hist_byte[hist]]))) {
                last = i;
                hist = (hist << 1) | 1;
                continue;
            }
        }
        last = i;
        if (!top_byte_plain(buf[i + 4])) {
            hist = (hist << 1) | 1;
            continue;
        }
        {
            uint32_t v = dc_le32(buf + i + 1), rel;

            for (;;) {
                unsigned int sh;

                rel = v - (start + (uint32_t)i + 5);
                if (!hist)
                    break;
                sh = hist_byte[hist] * 8u;
                if (!top_byte_plain((uint8_t)(rel >> (24 - sh))))
                    break;
                v = rel ^ ((1u << (32 - sh)) - 1);
            }
            /* Sign-extend from bit 24: the encoder kept only 25 bits of range. */
            rel &= 0x01FFFFFFu;
            rel |= 0u - (rel & 0x01000000u);
            buf[i + 1] = (uint8_t)rel;
            buf[i + 2] = (uint8_t)(rel >> 8);
            buf[i + 3] = (uint8_t)(rel >> 16);
            buf[i + 4] = (uint8_t)(rel >> 24);
            i += 4;
        }
    }
}
