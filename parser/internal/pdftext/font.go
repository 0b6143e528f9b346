package pdftext

import (
	"bytes"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"

	"sift/internal/afm"
)

// Bounds on what one CMap may define.
const (
	maxCodes  = 1 << 17 // code-to-text entries
	maxRanges = 4096    // large ranges, scanned linearly
)

// A codespace range of a CMap: codes of n bytes from lo to hi.
type codespace struct {
	n      int
	lo, hi uint32
}

// A range of codes mapped to consecutive text (a large bfrange).
type uniRange struct {
	lo, hi uint32
	dst    []uint16 // UTF-16 of lo's text; the last unit increments
}

// A range of CIDs sharing a width, or of codes mapped to consecutive CIDs.
type cidRange struct {
	lo, hi uint32
	v      float64
}

// A font is what the extractor needs of a PDF font: how to split a string
// into codes, each code's text and width, and its looks.
type font struct {
	name      string // BaseFont without a subset prefix
	composite bool   // Type0: multi-byte codes, CID widths
	spaces    []codespace
	cidMap    []cidRange // code to CID for embedded CMaps; nil: CID = code
	uni       map[uint32]string
	uniRanges []uniRange
	ucs2      bool // predefined Uni*-UCS2/UTF16 CMap: the code is the text
	enc       [256]string
	widths    [256]float64
	hasWidth  [256]bool
	noWidths  bool // simple font with no /Widths: use standard-14 metrics
	afmName   string
	missing   float64
	cidW      map[uint32]float64
	cidWR     []cidRange
	dw        float64
	scale     float64 // glyph space to text space (0.001, or the Type3 FontMatrix)
	sizeScale float64 // font size multiplier (Type3 FontMatrix height / 0.001)
	bold      bool
	italic    bool
	smallCaps bool
	vertical  bool

	// Glyphs shown, by how they decoded, for the unusable-font warning.
	mapped, unmapped, junk int
}

// A decoded code.
type code struct {
	text  string
	width float64 // in text space units per unit font size
	space bool    // a single-byte code 32: word spacing applies
}

// decode splits s into codes and calls fn for each.
func (f *font) decode(s string, fn func(c code)) {
	if !f.composite {
		for i := 0; i < len(s); i++ {
			b := s[i]
			c := code{space: b == 32}
			if t, ok := f.uni[uint32(b)]; ok {
				c.text = t
			} else if t := f.rangeText(uint32(b), 1); t != "" {
				c.text = t
			} else {
				c.text = f.enc[b]
			}
			c.width = f.simpleWidth(b, c.text)
			fn(c)
		}
		return
	}
	for i := 0; i < len(s); {
		n := f.codeLen(s[i:])
		if i+n > len(s) {
			n = len(s) - i
		}
		var v uint32
		for k := 0; k < n; k++ {
			v = v<<8 | uint32(s[i+k])
		}
		i += n
		c := code{space: n == 1 && v == 32}
		if t, ok := f.uni[v]; ok {
			c.text = t
		} else if t := f.rangeText(v, n); t != "" {
			c.text = t
		} else if f.ucs2 {
			c.text = string(rune(v))
		}
		cid := f.cid(v)
		c.width = f.cidWidth(cid) * f.scale
		fn(c)
	}
}

func (f *font) codeLen(s string) int {
	if len(f.spaces) == 0 {
		return 2
	}
	for n := 1; n <= 4 && n <= len(s); n++ {
		var v uint32
		for k := 0; k < n; k++ {
			v = v<<8 | uint32(s[k])
		}
		for _, r := range f.spaces {
			if r.n == n && v >= r.lo && v <= r.hi {
				return n
			}
		}
	}
	// No range matches: take the shortest length the CMap uses.
	short := 4
	for _, r := range f.spaces {
		if r.n < short {
			short = r.n
		}
	}
	return short
}

func (f *font) cid(v uint32) uint32 {
	if f.cidMap == nil {
		return v
	}
	for _, r := range f.cidMap {
		if v >= r.lo && v <= r.hi {
			return uint32(r.v) + (v - r.lo)
		}
	}
	return 0
}

func (f *font) rangeText(v uint32, n int) string {
	for _, r := range f.uniRanges {
		if v >= r.lo && v <= r.hi {
			d := make([]uint16, len(r.dst))
			copy(d, r.dst)
			if len(d) > 0 {
				d[len(d)-1] += uint16(v - r.lo)
			}
			return string(utf16.Decode(d))
		}
	}
	return ""
}

func (f *font) simpleWidth(b byte, text string) float64 {
	if f.hasWidth[b] {
		return f.widths[b] * f.scale
	}
	if f.noWidths && f.afmName != "" {
		r := ' '
		for _, x := range text {
			r = x
			break
		}
		if w, ok := afm.Width(f.afmName, r); ok {
			return w * 0.001
		}
		return 0.5
	}
	if f.missing > 0 {
		return f.missing * f.scale
	}
	if f.noWidths {
		return 0.5
	}
	return 0
}

func (f *font) cidWidth(cid uint32) float64 {
	if w, ok := f.cidW[cid]; ok {
		return w
	}
	for _, r := range f.cidWR {
		if cid >= r.lo && cid <= r.hi {
			return r.v
		}
	}
	return f.dw
}

// stripSubset removes a subset tag such as "ABCDEF+".
func stripSubset(name string) string {
	if len(name) > 7 && name[6] == '+' {
		for i := 0; i < 6; i++ {
			if name[i] < 'A' || name[i] > 'Z' {
				return name
			}
		}
		return name[7:]
	}
	return name
}

// loadFont reads a font dictionary. Callers cache the result.
func (x *extractor) loadFont(v pdf.Value) *font {
	f := &font{scale: 0.001, sizeScale: 1, dw: 1000}
	sub := v.Key("Subtype").Name()
	f.name = stripSubset(v.Key("BaseFont").Name())
	desc := v.Key("FontDescriptor")
	var descFont pdf.Value
	switch sub {
	case "Type0":
		f.composite = true
		df := v.Key("DescendantFonts").Index(0)
		descFont = df
		desc = df.Key("FontDescriptor")
		if f.name == "" {
			f.name = stripSubset(df.Key("BaseFont").Name())
		}
		x.loadCIDWidths(f, df)
		enc := v.Key("Encoding")
		switch enc.Kind() {
		case pdf.Name:
			n := enc.Name()
			f.vertical = strings.HasSuffix(n, "-V")
			if strings.Contains(n, "UCS2") || strings.Contains(n, "UTF16") {
				f.ucs2 = true
			}
			f.spaces = []codespace{{n: 2, lo: 0, hi: 0xffff}}
		case pdf.Stream:
			x.readCMap(f, enc, false)
			if len(f.spaces) == 0 {
				f.spaces = []codespace{{n: 2, lo: 0, hi: 0xffff}}
			}
		default:
			f.spaces = []codespace{{n: 2, lo: 0, hi: 0xffff}}
		}
	case "Type3":
		fm := v.Key("FontMatrix")
		if fm.Len() == 6 {
			a, d := fm.Index(0).Float64(), fm.Index(3).Float64()
			if a != 0 {
				f.scale = a
			}
			if d != 0 {
				f.sizeScale = abs(d) / 0.001
			}
		}
		x.loadSimpleWidths(f, v, desc)
		x.loadSimpleEncoding(f, v, desc, sub)
	default:
		x.loadSimpleWidths(f, v, desc)
		x.loadSimpleEncoding(f, v, desc, sub)
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		x.readCMap(f, tu, true)
	}
	_ = descFont
	f.setLooks(desc)
	return f
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func (f *font) setLooks(desc pdf.Value) {
	n := strings.ToLower(f.name)
	for _, w := range []string{"bold", "black", "heavy", "semibold", "demi", "ultra", "extrab", ",bd", "-bd"} {
		if strings.Contains(n, w) {
			f.bold = true
		}
	}
	for _, p := range []string{"cmbx", "cmb1", "sfbx", "ecbx", "cmssbx", "lmbx", "sfsx", "ptmb", "phvb", "pplb"} {
		if strings.HasPrefix(n, p) {
			f.bold = true
		}
	}
	for _, w := range []string{"italic", "oblique", "-it", ",it", "slanted", "cmti", "cmsl", "sfti", "sfsl", "ptmri", "kursiv"} {
		if strings.Contains(n, w) {
			f.italic = true
		}
	}
	for _, w := range []string{"smallcap", "cmcsc", "sfcc", "caps", "-sc", "_sc"} {
		if strings.Contains(n, w) {
			f.smallCaps = true
		}
	}
	if strings.HasSuffix(f.name, "SC") || strings.HasSuffix(f.name, "Sc") {
		f.smallCaps = true
	}
	if desc.Kind() == pdf.Dict {
		flags := desc.Key("Flags").Int64()
		if flags&(1<<18) != 0 || desc.Key("FontWeight").Float64() >= 600 {
			f.bold = true
		}
		if flags&(1<<6) != 0 {
			f.italic = true
		}
		if flags&(1<<17) != 0 {
			f.smallCaps = true
		}
	}
}

func (x *extractor) loadSimpleWidths(f *font, v, desc pdf.Value) {
	w := v.Key("Widths")
	if w.Kind() != pdf.Array {
		f.noWidths = true
		f.afmName = f.name
		if !afm.Known(f.name) {
			f.afmName = "Helvetica"
			if strings.Contains(strings.ToLower(f.name), "times") || strings.Contains(strings.ToLower(f.name), "serif") {
				f.afmName = "Times-Roman"
			}
			if strings.Contains(strings.ToLower(f.name), "courier") {
				f.afmName = "Courier"
			}
		}
		return
	}
	first := int(v.Key("FirstChar").Int64())
	n := w.Len()
	for i := 0; i < n && first+i < 256; i++ {
		if first+i < 0 {
			continue
		}
		f.widths[first+i] = w.Index(i).Float64()
		f.hasWidth[first+i] = true
	}
	f.missing = desc.Key("MissingWidth").Float64()
}

func (x *extractor) loadCIDWidths(f *font, df pdf.Value) {
	if dw := df.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		f.dw = dw.Float64()
	}
	w := df.Key("W")
	n := w.Len()
	f.cidW = make(map[uint32]float64)
	for i := 0; i < n; {
		first := w.Index(i)
		if i+1 >= n {
			break
		}
		second := w.Index(i + 1)
		if second.Kind() == pdf.Array {
			c := uint32(first.Int64())
			for k := 0; k < second.Len() && k < 65536 && len(f.cidW) < maxCodes; k++ {
				f.cidW[c+uint32(k)] = second.Index(k).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		lo, hi := first.Float64(), second.Float64()
		if hi >= lo && lo >= 0 && len(f.cidWR) < maxRanges {
			f.cidWR = append(f.cidWR, cidRange{lo: uint32(lo), hi: uint32(hi), v: w.Index(i + 2).Float64()})
		}
		i += 3
	}
}

func (x *extractor) loadSimpleEncoding(f *font, v, desc pdf.Value, sub string) {
	base := &stdEncoding
	lname := strings.ToLower(f.name)
	symbolic := desc.Key("Flags").Int64()&4 != 0
	switch {
	case strings.HasPrefix(lname, "symbol"):
		base = &symbolEncoding
	case strings.Contains(lname, "dingbat"):
		base = &dingbatEncoding
	case sub == "TrueType":
		base = &winAnsiEncoding
	}
	enc := v.Key("Encoding")
	var diffs pdf.Value
	builtin := false
	switch enc.Kind() {
	case pdf.Name:
		base = namedEncoding(enc.Name(), base)
	case pdf.Dict:
		if b := enc.Key("BaseEncoding"); b.Kind() == pdf.Name {
			base = namedEncoding(b.Name(), base)
		} else if sub == "Type1" && !afm.Known(f.name) {
			builtin = true
		}
		diffs = enc.Key("Differences")
	default:
		if sub == "Type1" && !afm.Known(f.name) {
			builtin = true
		}
	}
	for c := 0; c < 256; c++ {
		if r := base[c]; r != 0 {
			f.enc[c] = string(r)
		}
	}
	if builtin {
		if names := x.builtinEncoding(desc); names != nil {
			for c, n := range names {
				if n != "" {
					if t := glyphText(n); t != "" {
						f.enc[c] = t
					}
				}
			}
		}
	}
	if symbolic && sub == "TrueType" && enc.Kind() == pdf.Null {
		// Symbolic TrueType fonts with no encoding map codes straight to
		// glyphs; their text is unknown unless ToUnicode says.
		for c := 0; c < 256; c++ {
			f.enc[c] = string(rune(0xf000 + c))
		}
	}
	if diffs.Kind() == pdf.Array {
		c := 0
		for i := 0; i < diffs.Len(); i++ {
			d := diffs.Index(i)
			switch d.Kind() {
			case pdf.Integer, pdf.Real:
				c = int(d.Int64())
			case pdf.Name:
				if c >= 0 && c < 256 {
					f.enc[c] = glyphText(d.Name())
				}
				c++
			}
		}
	}
}

func namedEncoding(n string, def *[256]rune) *[256]rune {
	switch n {
	case "WinAnsiEncoding":
		return &winAnsiEncoding
	case "MacRomanEncoding", "MacExpertEncoding":
		return &macRomanEnc
	case "StandardEncoding":
		return &stdEncoding
	}
	return def
}

// builtinEncoding reads the encoding vector of an embedded Type 1 font
// program ("dup 65 /A put" in its clear-text part).
func (x *extractor) builtinEncoding(desc pdf.Value) []string {
	ff := desc.Key("FontFile")
	if ff.Kind() != pdf.Stream {
		return nil
	}
	n := ff.Key("Length1").Int64()
	if n <= 0 || n > 1<<16 {
		n = 1 << 16
	}
	data, err := x.readStreamPrefix(ff, n)
	if err != nil || len(data) == 0 {
		return nil
	}
	i := bytes.Index(data, []byte("/Encoding"))
	if i < 0 {
		return nil
	}
	data = data[i:]
	if bytes.HasPrefix(data, []byte("/Encoding StandardEncoding")) {
		return nil
	}
	if j := bytes.Index(data, []byte("readonly def")); j > 0 {
		data = data[:j]
	}
	names := make([]string, 256)
	l := lexer{b: data}
	var prev [3]operand
	for {
		o := l.next()
		if o.kind == tEOF {
			break
		}
		if o.kind == tOp && o.s == "put" && prev[0].kind == tOp && prev[0].s == "dup" && prev[1].kind == tNum && prev[2].kind == tName {
			c := int(prev[1].n)
			if c >= 0 && c < 256 {
				names[c] = prev[2].s
			}
		}
		prev[0], prev[1], prev[2] = prev[1], prev[2], o
	}
	return names
}

// readCMap parses a CMap stream: codespace ranges, and either the text of
// codes (ToUnicode) or their CIDs (an embedded encoding CMap).
func (x *extractor) readCMap(f *font, v pdf.Value, toUnicode bool) {
	data, err := x.readStream(v)
	if err != nil || len(data) == 0 {
		return
	}
	if toUnicode && f.uni == nil {
		f.uni = make(map[uint32]string)
	}
	l := lexer{b: data}
	var stk []operand
	var spaces []codespace
	for {
		o := l.next()
		if o.kind == tEOF {
			break
		}
		if o.kind != tOp {
			if len(stk) < 1<<16 {
				stk = append(stk, o)
			}
			continue
		}
		switch o.s {
		case "endcodespacerange":
			for i := 0; i+1 < len(stk); i += 2 {
				lo, hi := stk[i], stk[i+1]
				if lo.kind == tString && hi.kind == tString && len(lo.s) == len(hi.s) && len(lo.s) >= 1 && len(lo.s) <= 4 {
					spaces = append(spaces, codespace{n: len(lo.s), lo: beUint(lo.s), hi: beUint(hi.s)})
				}
			}
		case "endbfchar":
			if !toUnicode {
				break
			}
			for i := 0; i+1 < len(stk); i += 2 {
				src, dst := stk[i], stk[i+1]
				if src.kind != tString {
					continue
				}
				if len(f.uni) > maxCodes {
					break
				}
				switch dst.kind {
				case tString:
					f.uni[beUint(src.s)] = utf16Text(dst.s)
				case tName:
					f.uni[beUint(src.s)] = glyphText(dst.s)
				}
			}
		case "endbfrange":
			if !toUnicode {
				break
			}
			for i := 0; i+2 < len(stk); i += 3 {
				lo, hi, dst := stk[i], stk[i+1], stk[i+2]
				if lo.kind != tString || hi.kind != tString {
					continue
				}
				a, b := beUint(lo.s), beUint(hi.s)
				if b < a || b-a > 1<<20 {
					continue
				}
				switch dst.kind {
				case tString:
					u := utf16Units(dst.s)
					if b-a > 256 {
						if len(f.uniRanges) < maxRanges {
							f.uniRanges = append(f.uniRanges, uniRange{lo: a, hi: b, dst: u})
						}
						continue
					}
					if len(f.uni) > maxCodes {
						continue
					}
					for k := uint32(0); k <= b-a; k++ {
						d := make([]uint16, len(u))
						copy(d, u)
						if len(d) > 0 {
							d[len(d)-1] += uint16(k)
						}
						f.uni[a+k] = string(utf16.Decode(d))
					}
				case tArray:
					for k, e := range dst.a {
						if a+uint32(k) > b {
							break
						}
						if e.kind == tString {
							f.uni[a+uint32(k)] = utf16Text(e.s)
						}
					}
				}
			}
		case "endcidrange":
			if toUnicode {
				break
			}
			for i := 0; i+2 < len(stk); i += 3 {
				lo, hi, c := stk[i], stk[i+1], stk[i+2]
				if lo.kind == tString && hi.kind == tString && c.kind == tNum && len(f.cidMap) < maxRanges {
					f.cidMap = append(f.cidMap, cidRange{lo: beUint(lo.s), hi: beUint(hi.s), v: c.n})
				}
			}
		case "endcidchar":
			if toUnicode {
				break
			}
			for i := 0; i+1 < len(stk); i += 2 {
				lo, c := stk[i], stk[i+1]
				if lo.kind == tString && c.kind == tNum && len(f.cidMap) < maxRanges {
					f.cidMap = append(f.cidMap, cidRange{lo: beUint(lo.s), hi: beUint(lo.s), v: c.n})
				}
			}
		case "usecmap":
			if len(stk) > 0 && stk[len(stk)-1].kind == tName && strings.HasPrefix(stk[len(stk)-1].s, "Identity") {
				spaces = append(spaces, codespace{n: 2, lo: 0, hi: 0xffff})
			}
		}
		stk = stk[:0]
	}
	// A ToUnicode CMap's codespace describes the font's codes too, but the
	// font's own encoding wins for composite fonts with a predefined CMap.
	if !toUnicode || (f.composite && len(f.spaces) == 0) {
		f.spaces = spaces
	}
}

func beUint(s string) uint32 {
	var v uint32
	for i := 0; i < len(s) && i < 4; i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

func utf16Units(s string) []uint16 {
	if len(s)%2 == 1 {
		u := make([]uint16, len(s))
		for i := 0; i < len(s); i++ {
			u[i] = uint16(s[i])
		}
		return u
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return u
}

func utf16Text(s string) string {
	return string(utf16.Decode(utf16Units(s)))
}
