package pdftext

import (
	"strconv"
	"strings"
)

// Single-byte encodings as Unicode tables. Codes a table leaves at zero are
// undefined in that encoding.
var (
	stdEncoding     [256]rune
	winAnsiEncoding [256]rune
	macRomanEnc     [256]rune
	symbolEncoding  [256]rune
	dingbatEncoding [256]rune
)

func init() {
	for c := 0x20; c < 0x7f; c++ {
		stdEncoding[c] = rune(c)
		winAnsiEncoding[c] = rune(c)
		macRomanEnc[c] = rune(c)
	}
	stdEncoding['\''] = '’'
	stdEncoding['`'] = '‘'
	std := map[int]rune{
		0xa1: '¡', 0xa2: '¢', 0xa3: '£', 0xa4: '⁄', 0xa5: '¥', 0xa6: 'ƒ', 0xa7: '§', 0xa8: '¤',
		0xa9: '\'', 0xaa: '“', 0xab: '«', 0xac: '‹', 0xad: '›', 0xae: 'ﬁ', 0xaf: 'ﬂ',
		0xb1: '–', 0xb2: '†', 0xb3: '‡', 0xb4: '·', 0xb6: '¶', 0xb7: '•', 0xb8: '‚', 0xb9: '„',
		0xba: '”', 0xbb: '»', 0xbc: '…', 0xbd: '‰', 0xbf: '¿', 0xc1: '`', 0xc2: '´', 0xc3: 'ˆ',
		0xc4: '˜', 0xc5: '¯', 0xc6: '˘', 0xc7: '˙', 0xc8: '¨', 0xca: '˚', 0xcb: '¸', 0xcd: '˝',
		0xce: '˛', 0xcf: 'ˇ', 0xd0: '—', 0xe1: 'Æ', 0xe3: 'ª', 0xe8: 'Ł', 0xe9: 'Ø', 0xea: 'Œ',
		0xeb: 'º', 0xf1: 'æ', 0xf5: 'ı', 0xf8: 'ł', 0xf9: 'ø', 0xfa: 'œ', 0xfb: 'ß',
	}
	for c, r := range std {
		stdEncoding[c] = r
	}
	win := []rune("€\x00‚ƒ„…†‡ˆ‰Š‹Œ\x00Ž\x00\x00‘’“”•–—˜™š›œ\x00žŸ")
	for i, r := range win {
		winAnsiEncoding[0x80+i] = r
	}
	for c := 0xa0; c < 0x100; c++ {
		winAnsiEncoding[c] = rune(c)
	}
	winAnsiEncoding[0xad] = '-'
	mac := []rune("ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ")
	for i, r := range mac {
		macRomanEnc[0x80+i] = r
	}
	// Symbol: Greek letters at their Latin positions, and the bullet.
	for c := 0x20; c < 0x7f; c++ {
		symbolEncoding[c] = rune(c)
	}
	greek := map[byte]rune{'a': 'α', 'b': 'β', 'c': 'χ', 'd': 'δ', 'e': 'ε', 'f': 'φ', 'g': 'γ', 'h': 'η', 'i': 'ι', 'k': 'κ', 'l': 'λ', 'm': 'μ', 'n': 'ν', 'o': 'ο', 'p': 'π', 'q': 'θ', 'r': 'ρ', 's': 'σ', 't': 'τ', 'u': 'υ', 'w': 'ω', 'x': 'ξ', 'y': 'ψ', 'z': 'ζ'}
	for c, r := range greek {
		symbolEncoding[c] = r
		symbolEncoding[c-32] = []rune(strings.ToUpper(string(r)))[0]
	}
	symbolEncoding[0xb7] = '•'
	symbolEncoding[0xa7] = '♣'
	symbolEncoding[0xae] = '→'
	symbolEncoding[0xb0] = '°'
	symbolEncoding[0xb1] = '±'
	symbolEncoding[0xd3] = '©'
	symbolEncoding[0xd2] = '®'
	symbolEncoding[0xd4] = '™'
	symbolEncoding[0xe0] = '◊'
	// ZapfDingbats: the glyphs resumes use as bullets and check marks;
	// the rest are symbols with no text value.
	for c := 0x21; c < 0xff; c++ {
		dingbatEncoding[c] = 0x2700 + rune(c) // approximate: a dingbat, dropped later
	}
	for c, r := range map[int]rune{0x20: ' ', 0x33: '✓', 0x34: '✔', 0x6c: '●', 0x6d: '❍', 0x6e: '■', 0x6f: '❏', 0x70: '❐', 0x71: '❑', 0x72: '❒', 0x73: '▲', 0x74: '▼', 0x75: '◆', 0x76: '❖', 0xa8: '➢', 0xd8: '➘', 0xe0: '➠', 0xe8: '➨'} {
		dingbatEncoding[c] = r
	}
}

// glyphRune maps a glyph name to text: the Adobe glyph list names, uniXXXX,
// uXXXX[XX], ligature names joined with "_", and names with a ".suffix".
func glyphText(name string) string {
	if r, ok := glyphNames[name]; ok {
		return string(r)
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		return glyphText(name[:i])
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for _, part := range strings.Split(name, "_") {
			t := glyphText(part)
			if t == "" {
				return ""
			}
			b.WriteString(t)
		}
		return b.String()
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 && (len(name)-3)%4 == 0 {
		var b strings.Builder
		for i := 3; i+4 <= len(name); i += 4 {
			v, err := strconv.ParseUint(name[i:i+4], 16, 32)
			if err != nil {
				return ""
			}
			b.WriteRune(rune(v))
		}
		return b.String()
	}
	if len(name) >= 5 && len(name) <= 7 && name[0] == 'u' {
		v, err := strconv.ParseUint(name[1:], 16, 32)
		if err == nil && v < 0x110000 {
			return string(rune(v))
		}
	}
	return ""
}
