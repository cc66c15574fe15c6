package importcsv

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxNameLength is the longest DNS-1123 label.
const MaxNameLength = 63

// foldExtra spells the letters that Unicode decomposition does not reduce
// to ASCII (ß has no decomposition, ø is not o plus a mark).
var foldExtra = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'þ': "th", 'Þ': "th", 'ł': "l", 'Ł': "l", 'ı': "i", 'ħ': "h", 'Ħ': "h",
	'ŧ': "t", 'Ŧ': "t", 'ŋ': "n", 'Ŋ': "n", 'ſ': "s", 'ĸ': "k",
}

// cyrillic transliterates the Ukrainian and Russian alphabets (the
// national passport style, simplified: no context rules), so that
// "Олена Коваленко" becomes olena-kovalenko rather than nothing.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie",
	'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l",
	'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "",
	'ю': "iu", 'я': "ia", 'ё': "e", 'ы': "y", 'э': "e", 'ъ': "",
}

// Fold spells s in lower-case ASCII where it can: accents are dropped
// (é→e), a few letters are spelled out (ß→ss, æ→ae, ø→o) and Cyrillic is
// transliterated. Letters it cannot fold are kept as they are.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		lr := unicode.ToLower(r)
		if t, ok := foldExtra[r]; ok {
			b.WriteString(t)
		} else if t, ok := cyrillic[lr]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(lr)
		}
	}
	return b.String()
}

// Normalize turns s into a DNS-1123 label: folded to lower-case ASCII,
// every run of other characters replaced by one "-", trimmed of "-", at
// most 63 characters. It returns "" when nothing usable is left.
func Normalize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return truncateLabel(b.String(), MaxNameLength)
}

// truncateLabel cuts a label to at most n bytes without leaving a
// trailing "-".
func truncateLabel(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-")
}

// withSuffix is name-K, shortened so that the result is a valid label.
func withSuffix(name string, k int) string {
	suffix := "-" + itoa(k)
	return truncateLabel(name, MaxNameLength-len(suffix)) + suffix
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// key is how header cells and display names are compared: folded, and
// only letters and digits, so "E-mail", "e_mail" and "EMAIL " match.
func key(s string) string {
	var b strings.Builder
	for _, r := range Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanText makes a cell fit for a displayName: control characters and
// line breaks become spaces, runs of white space collapse to one, and the
// result is trimmed and cut to max runes.
func cleanText(s string, max int) string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF' || r == unicode.ReplacementChar
	})
	out := strings.Join(fields, " ")
	if r := []rune(out); len(r) > max {
		out = strings.TrimSpace(string(r[:max]))
	}
	return out
}
