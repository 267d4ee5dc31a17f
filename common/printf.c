// SPDX-License-Identifier: MIT
/*
 * vsnprintf: the subset of C99 the hypervisor needs — flags "-0+ #", width
 * and precision (also '*'), length modifiers hh h l ll z t j, conversions
 * d i u o x X c s p %. Output is always terminated when size > 0 and the
 * return value is the untruncated length, as C99 requires.
 */
#include <basalt/lib.h>

enum {
	F_LEFT = 1 << 0,
	F_ZERO = 1 << 1,
	F_PLUS = 1 << 2,
	F_SPACE = 1 << 3,
	F_ALT = 1 << 4,
	F_UPPER = 1 << 5,
};

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, even past size */
};

struct spec {
	unsigned int flags;
	int width;
	int prec;    /* -1: none */
	char length; /* 'H' hh, 'h', 'l', 'L' ll, 'z', 't', 'j', 0 */
	char conv;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

/* Digits of v in base, least significant first; returns the count. */
static int utoa_rev(char *tmp, unsigned long long v, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static bool is_signed_conv(char conv)
{
	return conv == 'd' || conv == 'i';
}

static void emit_number(struct out *o, const struct spec *sp, unsigned long long v, bool negative,
			unsigned int base)
{
	char tmp[24];
	const char *prefix = "";
	int ndigits, zeros, pad, plen;

	ndigits = (v == 0 && sp->prec == 0) ? 0 : utoa_rev(tmp, v, base, sp->flags & F_UPPER);
	zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	if (negative)
		prefix = "-";
	else if (is_signed_conv(sp->conv) && (sp->flags & F_PLUS))
		prefix = "+";
	else if (is_signed_conv(sp->conv) && (sp->flags & F_SPACE))
		prefix = " ";
	if ((sp->flags & F_ALT) && base == 16 && v)
		prefix = (sp->flags & F_UPPER) ? "0X" : "0x";
	if ((sp->flags & F_ALT) && base == 8 && zeros == 0 && (v || sp->prec == 0))
		zeros = 1;
	plen = (int)strlen(prefix);
	pad = sp->width - plen - zeros - ndigits;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!(sp->flags & F_LEFT))
		out_repeat(o, ' ', pad);
	out_str(o, prefix, (size_t)plen);
	out_repeat(o, '0', zeros);
	while (ndigits)
		out_char(o, tmp[--ndigits]);
	if (sp->flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

static void emit_string(struct out *o, const struct spec *sp, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!(sp->flags & F_LEFT))
		out_repeat(o, ' ', sp->width - (int)n);
	out_str(o, s, n);
	if (sp->flags & F_LEFT)
		out_repeat(o, ' ', sp->width - (int)n);
}

static unsigned long long fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	case 't':
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
		return (long long)va_arg(*ap, size_t);
	case 't':
		return va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static const char *parse_flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-':
			sp->flags |= F_LEFT;
			break;
		case '0':
			sp->flags |= F_ZERO;
			break;
		case '+':
			sp->flags |= F_PLUS;
			break;
		case ' ':
			sp->flags |= F_SPACE;
			break;
		case '#':
			sp->flags |= F_ALT;
			break;
		default:
			return f;
		}
	}
}

static const char *parse_int(const char *f, int *val, va_list *ap)
{
	if (*f == '*') {
		*val = va_arg(*ap, int);
		return f + 1;
	}
	*val = 0;
	while (*f >= '0' && *f <= '9')
		*val = *val * 10 + (*f++ - '0');
	return f;
}

static const char *parse_length(const char *f, struct spec *sp)
{
	sp->length = 0;
	if (*f == 'h' || *f == 'l') {
		sp->length = *f++;
		if (*f == sp->length) {
			sp->length = sp->length == 'h' ? 'H' : 'L';
			f++;
		}
	} else if (*f == 'z' || *f == 't' || *f == 'j') {
		sp->length = *f++;
	}
	return f;
}

/* Parses one conversion after '%'; returns the character after it. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->flags = 0;
	f = parse_flags(f, sp);
	f = parse_int(f, &sp->width, ap);
	if (sp->width < 0) {
		sp->flags |= F_LEFT;
		sp->width = -sp->width;
	}
	sp->prec = -1;
	if (*f == '.') {
		f = parse_int(f + 1, &sp->prec, ap);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	f = parse_length(f, sp);
	sp->conv = *f;
	return *f ? f + 1 : f;
}

static void emit_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	long long v = fetch_signed(sp, ap);
	unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	emit_number(o, sp, mag, v < 0, 10);
}

static void emit_pointer(struct out *o, struct spec *sp, const void *p)
{
	if (!p) {
		emit_string(o, sp, "(nil)");
		return;
	}
	sp->flags |= F_ALT;
	emit_number(o, sp, (uintptr_t)p, false, 16);
}

static void emit_conversion(struct out *o, struct spec *sp, va_list *ap)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		emit_signed(o, sp, ap);
		break;
	case 'u':
		emit_number(o, sp, fetch_unsigned(sp, ap), false, 10);
		break;
	case 'o':
		emit_number(o, sp, fetch_unsigned(sp, ap), false, 8);
		break;
	case 'X':
		sp->flags |= F_UPPER;
		/* fall through */
	case 'x':
		emit_number(o, sp, fetch_unsigned(sp, ap), false, 16);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->prec = -1;
		if (!(sp->flags & F_LEFT))
			out_repeat(o, ' ', sp->width - 1);
		out_char(o, c);
		if (sp->flags & F_LEFT)
			out_repeat(o, ' ', sp->width - 1);
		break;
	case 's':
		emit_string(o, sp, va_arg(*ap, const char *));
		break;
	case 'p':
		emit_pointer(o, sp, va_arg(*ap, const void *));
		break;
	case '%':
		out_char(o, '%');
		break;
	default: /* unknown conversion: print it verbatim so the bug is visible */
		out_char(o, '%');
		if (sp->conv)
			out_char(o, sp->conv);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		emit_conversion(&o, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
