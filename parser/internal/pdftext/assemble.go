package pdftext

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"sift/parser/internal/layout"
)

// Thresholds, in units of the font size.
const (
	wordGap     = 0.1  // a gap wider than this between glyphs breaks a word
	fragGap     = 1.6  // a gap wider than this ends a fragment (tab stops, columns)
	baselineTol = 0.3  // baselines closer than this are one line
	minGutter   = 0.8  // the narrowest gap between two columns
	maxSegment  = 4000 // fragments beyond which a page is read as one region
)

// A fragment is a run of glyphs on one baseline with no wide gap: the unit
// the column analysis works on.
type frag struct {
	g         []glyph
	x0, x1, y float64
	size      float64
	top, bot  float64
}

func (f *frag) add(g glyph) {
	f.extend(&g)
	f.g = append(f.g, g)
}

// extend grows the fragment's box by a glyph.
func (f *frag) extend(g *glyph) {
	if len(f.g) == 0 && f.size == 0 {
		f.x0, f.x1, f.y, f.size = g.x0, g.x1, g.y, g.size
	}
	f.x0 = math.Min(f.x0, g.x0)
	f.x1 = math.Max(f.x1, g.x1)
	if g.size > f.size {
		f.size = g.size
		f.y = g.y
	}
	f.top = f.y - 0.8*f.size
	f.bot = f.y + 0.2*f.size
}

// A built line before it becomes a layout.Line.
type pline struct {
	text       string
	words      []string
	x0, x1, y  float64
	size       float64
	bold, ital bool
	caps       bool
	list       bool
	block      bool
	col        int
	region     int
}

// A region of a page read as a unit: full width, or one column.
type region struct {
	frags []*frag
	col   int
}

// assemble turns a page's glyphs into lines in reading order, and its hidden
// glyphs into readable runs.
func (x *extractor) assemble(p *interp) ([]layout.Line, []layout.Hidden) {
	var rot []glyph
	hid := map[string][]glyph{}
	var reasons []string
	p.inkUnderInvisible()
	// Visible horizontal glyphs are compacted in place, the rest copied.
	vis := p.glyphs[:0]
	for _, g := range p.glyphs {
		switch {
		case g.hidden != "":
			if _, ok := hid[g.hidden]; !ok {
				reasons = append(reasons, g.hidden)
			}
			hid[g.hidden] = append(hid[g.hidden], g)
		case g.rot:
			rot = append(rot, g)
		default:
			if g.x1 < g.x0 {
				g.x0, g.x1 = g.x1, g.x0
			}
			vis = append(vis, g)
		}
	}
	var out []layout.Line
	frags := fragments(vis)
	regions := segment(frags, 0, 0, p.h)
	var plines []pline
	for ri, rg := range regions {
		ls := buildLines(rg.frags)
		for i := range ls {
			ls[i].col = rg.col
			ls[i].region = ri
		}
		plines = append(plines, ls...)
	}
	plines = append(plines, rotatedLines(rot, len(regions))...)
	plines = joinHyphens(plines)
	prevY := map[int]float64{}
	prevSize := map[int]float64{}
	spacing := map[int]float64{}
	// Typical baseline distance per region, for paragraph breaks.
	{
		ds := map[int][]float64{}
		for i := 1; i < len(plines); i++ {
			if plines[i].region == plines[i-1].region {
				d := plines[i].y - plines[i-1].y
				if d > 0 {
					ds[plines[i].region] = append(ds[plines[i].region], d/math.Max(plines[i].size, 1))
				}
			}
		}
		for r, v := range ds {
			sort.Float64s(v)
			spacing[r] = v[len(v)/2]
		}
	}
	for _, l := range plines {
		if strings.TrimSpace(l.text) == "" {
			continue
		}
		ll := layout.Line{
			Text: l.text, Page: p.page, Size: round2(l.size), Bold: l.bold, Italic: l.ital, Caps: l.caps,
			X: round2(l.x0), Y: round2(l.y), List: l.list, Column: l.col,
		}
		py, ok := prevY[l.region]
		if !ok {
			ll.Block = true
		} else {
			d := l.y - py
			ll.Gap = round2(math.Max(0, d-l.size))
			if d < 0 || d > 1.3*math.Max(spacing[l.region], 1.1)*l.size || l.list || math.Abs(l.size-prevSize[l.region]) > 1 {
				ll.Block = true
			}
		}
		prevY[l.region] = l.y
		prevSize[l.region] = l.size
		out = append(out, ll)
	}
	var hidden []layout.Hidden
	for _, reason := range reasons {
		gs := hid[reason]
		for i := range gs {
			if gs[i].x1 < gs[i].x0 {
				gs[i].x0, gs[i].x1 = gs[i].x1, gs[i].x0
			}
		}
		for _, l := range buildLines(fragments(gs)) {
			if t := strings.TrimSpace(l.text); t != "" {
				hidden = append(hidden, layout.Hidden{Text: t, Reason: reason, Page: p.page})
			}
		}
	}
	return out, hidden
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// fragments groups glyphs, in drawing order, into fragments, then merges
// fragments drawn apart that continue each other.
func fragments(gs []glyph) []*frag {
	var out []*frag
	var cur *frag
	start := 0
	for i := range gs {
		g := &gs[i]
		if cur != nil {
			last := &gs[i-1]
			sz := math.Max(math.Max(g.size, last.size), 1)
			if math.Abs(g.y-last.y) <= baselineTol*math.Min(g.size, last.size) &&
				g.x0 >= last.x1-0.5*sz && g.x0-last.x1 <= fragGap*sz {
				cur.extend(g)
				// The fragment is a view of gs; appending beyond it copies.
				cur.g = gs[start : i+1 : i+1]
				continue
			}
		}
		cur = &frag{}
		cur.extend(g)
		start = i
		cur.g = gs[i : i+1 : i+1]
		out = append(out, cur)
	}
	// Merge fragments on one baseline that touch (drawn out of order).
	sort.SliceStable(out, func(i, j int) bool {
		if math.Abs(out[i].y-out[j].y) > 0.01 {
			return out[i].y < out[j].y
		}
		return out[i].x0 < out[j].x0
	})
	var merged []*frag
	for _, f := range out {
		if n := len(merged); n > 0 {
			m := merged[n-1]
			sz := math.Max(math.Max(f.size, m.size), 1)
			if math.Abs(f.y-m.y) <= 0.05*sz && f.x0 >= m.x0 && f.x0-m.x1 <= fragGap*sz {
				if dup(m, f) {
					continue
				}
				for _, g := range f.g {
					m.add(g)
				}
				continue
			}
		}
		merged = append(merged, f)
	}
	// Drop fragments that contain only spaces.
	out = merged[:0]
	for _, f := range merged {
		for _, g := range f.g {
			if !g.space {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// dup reports whether f repeats m at almost the same place (text drawn
// twice to look bold).
func dup(m, f *frag) bool {
	if math.Abs(f.x0-m.x0) > 0.2*f.size || math.Abs(f.x1-m.x1) > 0.2*f.size || len(f.g) != len(m.g) {
		return false
	}
	for i := range f.g {
		if f.g[i].text != m.g[i].text {
			return false
		}
	}
	return true
}

// segment splits fragments into regions in reading order: a vertical
// whitespace gutter that runs down much of the region splits it into
// columns when the text on either side has its own baselines; text above
// and below the columns is read before and after them.
func segment(fr []*frag, col, depth int, pageH float64) []region {
	if depth > 8 || len(fr) < 6 || len(fr) > maxSegment {
		return []region{{fr, col}}
	}
	sort.SliceStable(fr, func(i, j int) bool { return fr[i].top < fr[j].top })
	sizes := make([]float64, len(fr))
	for i, f := range fr {
		sizes[i] = f.size
	}
	sort.Float64s(sizes)
	med := sizes[len(sizes)/2]
	gw := minGutter * med
	top, bot := fr[0].top, fr[0].bot
	for _, f := range fr {
		bot = math.Max(bot, f.bot)
	}
	height := bot - top
	type cand struct {
		cx     float64
		lo, hi int // fragment index range [lo, hi) in top order
		h      float64
	}
	var best cand
	seen := map[int]bool{}
	for _, c := range fr {
		cx := c.x1
		k := int(math.Round(cx))
		if seen[k] {
			continue
		}
		seen[k] = true
		lo := 0
		flush := func(hi int) {
			if hi-lo < 6 {
				return
			}
			var nl, nr int
			t, b := math.Inf(1), math.Inf(-1)
			for _, f := range fr[lo:hi] {
				if f.x1 <= cx+0.5 {
					nl++
				} else {
					nr++
				}
				t = math.Min(t, f.top)
				b = math.Max(b, f.bot)
			}
			if nl < 3 || nr < 3 {
				return
			}
			if h := b - t; h > best.h {
				best = cand{cx, lo, hi, h}
			}
		}
		for i, f := range fr {
			if f.x1 > cx+0.5 && f.x0 < cx+gw {
				flush(i)
				lo = i + 1
			}
		}
		flush(len(fr))
	}
	if best.h < 0.2*height && best.h < 0.25*pageH || best.h == 0 {
		return []region{{fr, col}}
	}
	mid := fr[best.lo:best.hi]
	var left, right []*frag
	for _, f := range mid {
		if f.x1 <= best.cx+0.5 {
			left = append(left, f)
		} else {
			right = append(right, f)
		}
	}
	if !independent(left, right) {
		return []region{{fr, col}}
	}
	// Text at the top of one column that ends well above where the other
	// column starts (a name or title over a sidebar layout) is a header,
	// read first.
	var head []*frag
	left, right, head = liftHeader(left, right, head, med)
	right, left, head = liftHeader(right, left, head, med)
	// Fragments outside the band but inside its vertical extent belong to
	// it too (the band is contiguous in top order, so this is exact).
	var out []region
	above := append(append([]*frag(nil), fr[:best.lo]...), head...)
	below := append([]*frag(nil), fr[best.hi:]...)
	if len(above) > 0 {
		out = append(out, segment(above, col, depth+1, pageH)...)
	}
	lc, rc := col, col
	if col == 0 {
		lc, rc = 1, 2
	} else {
		rc = col + 1
	}
	out = append(out, segment(left, lc, depth+1, pageH)...)
	out = append(out, segment(right, rc, depth+1, pageH)...)
	if len(below) > 0 {
		out = append(out, segment(below, col, depth+1, pageH)...)
	}
	return out
}

// independent reports whether two sides of a gutter have baselines of
// their own (columns) rather than shared rows (a table, such as dates in a
// narrow column beside the entries they date).
func independent(left, right []*frag) bool {
	lb := baselines(left)
	rb := baselines(right)
	if len(lb) == 0 || len(rb) == 0 {
		return false
	}
	few, many := lb, rb
	if len(rb) < len(lb) {
		few, many = rb, lb
	}
	matched := 0
	for _, a := range few {
		for _, b := range many {
			if math.Abs(a.y-b.y) <= 0.12*math.Max(a.size, b.size) {
				matched++
				break
			}
		}
	}
	return float64(matched) < 0.7*float64(len(few))
}

type bl struct{ y, size float64 }

func baselines(fr []*frag) []bl {
	var out []bl
	for _, f := range fr {
		found := false
		for i := range out {
			if math.Abs(out[i].y-f.y) <= 0.1*f.size {
				found = true
				break
			}
		}
		if !found {
			out = append(out, bl{f.y, f.size})
		}
	}
	return out
}

// buildLines groups a region's fragments into lines by baseline, top to
// bottom, each line's fragments left to right.
func buildLines(fr []*frag) []pline {
	if len(fr) == 0 {
		return nil
	}
	sorted := append([]*frag(nil), fr...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].y < sorted[j].y })
	type group struct {
		y, size float64
		fr      []*frag
	}
	var groups []*group
	for _, f := range sorted {
		var into *group
		for k := len(groups) - 1; k >= 0 && k >= len(groups)-4; k-- {
			gp := groups[k]
			small, big := f.size, gp.size
			if small > big {
				small, big = big, small
			}
			dy := f.y - gp.y
			same := math.Abs(dy) <= baselineTol*small
			script := false
			if !same && small < 0.85*big {
				// Superscripts and subscripts join the line they sit on.
				if f.size < gp.size {
					same = dy >= -0.55*gp.size && dy <= 0.35*gp.size
					script = len(f.g) <= 3
				} else {
					same = dy >= -0.35*f.size && dy <= 0.55*f.size
					script = len(gp.fr) == 1 && len(gp.fr[0].g) <= 3
				}
			}
			// A raised or lowered letter or two may tuck under its
			// neighbour (the A of LaTeX); other overlaps are other lines.
			if same && (script || !overlapsAny(gp.fr, f)) {
				into = gp
				break
			}
		}
		if into == nil {
			groups = append(groups, &group{y: f.y, size: f.size, fr: []*frag{f}})
			continue
		}
		into.fr = append(into.fr, f)
		if f.size > into.size {
			into.size, into.y = f.size, f.y
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].y < groups[j].y })
	out := make([]pline, 0, len(groups))
	// One slice, as long as the longest line, gathers each line's glyphs in
	// turn: lineFromGlyphs keeps nothing of it.
	most := 0
	for _, gp := range groups {
		n := 0
		for _, f := range gp.fr {
			n += len(f.g)
		}
		most = max(most, n)
	}
	gs := make([]glyph, 0, most)
	for _, gp := range groups {
		gs = gs[:0]
		for _, f := range gp.fr {
			gs = append(gs, f.g...)
		}
		sort.SliceStable(gs, func(i, j int) bool { return gs[i].x0 < gs[j].x0 })
		l := lineFromGlyphs(gs)
		l.y = gp.y
		out = append(out, l)
	}
	return out
}

func overlapsAny(fr []*frag, f *frag) bool {
	for _, g := range fr {
		ov := math.Min(g.x1, f.x1) - math.Max(g.x0, f.x0)
		if ov <= 1 {
			continue
		}
		// The boxes overlap: look at the glyphs, so a superscript inside a
		// wide fragment's box still joins it.
		for _, a := range g.g {
			if a.space {
				continue
			}
			for _, b := range f.g {
				if b.space {
					continue
				}
				o := math.Min(a.x1, b.x1) - math.Max(a.x0, b.x0)
				if o > 0.5*math.Min(a.x1-a.x0, b.x1-b.x0) && o > 0.5 {
					return true
				}
			}
		}
	}
	return false
}

// A word being built.
type wbuild struct {
	sb       strings.Builder
	x0, x1   float64
	gap      float64 // geometric gap before the word
	size     float64
	runes    int
	explicit bool // a space glyph came before it
}

// lineFromGlyphs builds a line's words from glyph geometry.
func lineFromGlyphs(gs []glyph) pline {
	var words []*wbuild
	var cur *wbuild
	var prev *glyph
	pendingSpace := false
	var l pline
	l.x0 = math.Inf(1)
	var nBold, nItal, nCaps, nAll int
	sizeW := map[float64]int{}
	leadBullet := false
	for i := range gs {
		g := &gs[i]
		if g.space {
			pendingSpace = true
			continue
		}
		t, bullet := cleanText(g.text)
		if t == "\u00ad" && g.x1-g.x0 < 0.05*g.size {
			continue // a soft hyphen with no width: not drawn
		}
		if t == "" {
			if bullet && cur == nil && len(words) == 0 {
				leadBullet = true
			}
			if bullet || t == "" {
				// A dropped glyph separates words only when it had width.
				if g.x1-g.x0 > 0.2*g.size {
					pendingSpace = true
				}
			}
			continue
		}
		if prev != nil && t == prev.text && math.Abs(g.x0-prev.x0) < 0.08*g.size && math.Abs(g.y-prev.y) < 0.1*g.size {
			continue // overprinted for a bold look
		}
		sz := g.size
		brk := cur == nil
		gap := 0.0
		if prev != nil {
			sz = math.Max(sz, prev.size)
			gap = g.x0 - prev.x1
			if pendingSpace || gap > wordGap*sz {
				brk = true
			}
		}
		if brk {
			cur = &wbuild{x0: g.x0, gap: gap, size: g.size, explicit: pendingSpace}
			words = append(words, cur)
		}
		cur.sb.WriteString(t)
		cur.runes += utf8.RuneCountInString(t)
		cur.x1 = g.x1
		pendingSpace = false
		prev = g
		n := utf8.RuneCountInString(t)
		nAll += n
		if g.bold {
			nBold += n
		}
		if g.font != nil && g.font.italic {
			nItal += n
		}
		if g.font != nil && g.font.smallCaps {
			nCaps += n
		}
		sizeW[math.Round(g.size*2)/2] += n
		l.x0 = math.Min(l.x0, g.x0)
		l.x1 = math.Max(l.x1, g.x1)
	}
	words = joinLetterSpaced(words)
	ws := make([]string, 0, len(words))
	for _, w := range words {
		ws = append(ws, w.sb.String())
	}
	// A dash or hyphen standing alone at the start is a bullet.
	if len(ws) > 1 && (ws[0] == "–" || ws[0] == "-" || ws[0] == "—" || ws[0] == "*" || ws[0] == "·") {
		ws = ws[1:]
		leadBullet = true
		if len(words) > 1 {
			l.x0 = words[1].x0
		}
	}
	l.words = ws
	l.text = strings.Join(ws, " ")
	l.list = leadBullet && len(ws) > 0
	best := 0
	for s, n := range sizeW {
		if n > best || n == best && s > l.size {
			best, l.size = n, s
		}
	}
	if nAll > 0 {
		l.bold = 2*nBold > nAll
		l.ital = 2*nItal > nAll
		l.caps = 2*nCaps > nAll
	}
	if math.IsInf(l.x0, 1) {
		l.x0 = 0
	}
	return l
}

// joinLetterSpaced joins runs of single letters set with uniform wide
// spacing ("E X P E R I E N C E") back into words, keeping the wider gaps
// between the words.
func joinLetterSpaced(words []*wbuild) []*wbuild {
	single := func(w *wbuild) bool {
		if w.runes != 1 {
			return false
		}
		r, _ := utf8.DecodeRuneInString(w.sb.String())
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&'
	}
	var out []*wbuild
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && single(words[j]) {
			j++
		}
		if j-i < 3 {
			if j == i {
				out = append(out, words[i])
				i++
			} else {
				out = append(out, words[i:j]...)
				i = j
			}
			continue
		}
		run := words[i:j]
		base := math.Inf(1)
		for _, w := range run[1:] {
			base = math.Min(base, w.gap)
		}
		cur := run[0]
		out = append(out, cur)
		for _, w := range run[1:] {
			if w.gap <= base*1.5+0.12*w.size {
				cur.sb.WriteString(w.sb.String())
				cur.runes += w.runes
				cur.x1 = w.x1
				continue
			}
			cur = w
			out = append(out, cur)
		}
		// A word continuing the run ("E X P E R I E N C E" then "S" was
		// already a single letter); a multi-letter word right after a run
		// joins when it is as close as the letters.
		if j < len(words) && words[j].gap <= base*1.5+0.12*words[j].size && !words[j].explicit {
			cur.sb.WriteString(words[j].sb.String())
			cur.runes += words[j].runes
			cur.x1 = words[j].x1
			j++
		}
		i = j
	}
	return out
}

// cleanText normalises a glyph's text: ligatures expanded; soft hyphens,
// zero-width and control characters, private-use and icon code points
// dropped. bullet reports a list bullet.
func cleanText(t string) (string, bool) {
	simple := true
	for i := 0; i < len(t); i++ {
		if t[i] < 0x20 || t[i] >= 0x7f {
			simple = false
			break
		}
	}
	if simple {
		return t, false
	}
	var b strings.Builder
	bullet := false
	for _, r := range t {
		switch {
		case r >= 0xfb00 && r <= 0xfb06:
			b.WriteString([]string{"ff", "fi", "fl", "ffi", "ffl", "st", "st"}[r-0xfb00])
		case isBullet(r):
			bullet = true
		case r == 0xad:
			b.WriteRune(r) // kept until hyphenation is resolved
		case r == 0x200b || r == 0x200c || r == 0x200d || r == 0x2060 || r == 0xfeff || r == 0xfffd || r == 0xfe0f:
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
		case r >= 0xe000 && r <= 0xf8ff, r >= 0xf0000:
		case r >= 0x2600 && r <= 0x27bf, r >= 0x1f000 && r <= 0x1faff, r >= 0x2b00 && r <= 0x2bff, r >= 0x25a0 && r <= 0x25ff:
		case r == 0xa0 || r == '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), bullet && b.Len() == 0
}

// isBullet reports list markers, including the private-use codes Word's
// Symbol and Wingdings bullets decode to.
func isBullet(r rune) bool {
	switch r {
	case '•', '◦', '▪', '▫', '●', '○', '■', '□', '➢', '➤', '►', '▶', '▸', '‣', '⁃', '∙', '✓', '✔', '❖', '◆', '◇', '★', '☆', '➔', '→', '⮚', '❑', '❒', '⦿', '◉', '⚫', '⬤', '✗', '✘', '♦', '❍',
		0xf0b7, 0xf0a7, 0xf0d8, 0xf076, 0xf0fc, 0xf0a8, 0xf06e, 0xf06c, 0xf0b2, 0xf0e0, 0xf0d7, 0xf071, 0xf075, 0xf0aa, 0xf0ad:
		return true
	}
	return false
}

// rotatedLines reads text that is not horizontal, one line per run of
// glyphs drawn along one direction.
func rotatedLines(gs []glyph, region int) []pline {
	var out []pline
	var cur []glyph
	flush := func() {
		if len(cur) == 0 {
			return
		}
		var b strings.Builder
		for i, g := range cur {
			t, _ := cleanText(g.text)
			if g.space {
				t = " "
			}
			if i > 0 {
				d := math.Hypot(g.x0-cur[i-1].x1, g.y-cur[i-1].y1)
				if d > 0.3*g.size && !cur[i-1].space && !g.space {
					b.WriteByte(' ')
				}
			}
			b.WriteString(t)
		}
		text := strings.Join(strings.Fields(b.String()), " ")
		if text != "" {
			out = append(out, pline{text: text, words: strings.Fields(text), x0: cur[0].x0, y: cur[0].y, size: cur[0].size, region: region + len(out), block: true})
		}
		cur = cur[:0]
	}
	for _, g := range gs {
		if len(cur) > 0 {
			last := cur[len(cur)-1]
			if math.Hypot(g.x0-last.x1, g.y-last.y1) > 1.5*g.size {
				flush()
			}
		}
		cur = append(cur, g)
	}
	flush()
	return out
}

// joinHyphens joins a word broken at a line end: a letter and "-" ending a
// line, and a lowercase letter starting the next line of the same region.
func joinHyphens(ls []pline) []pline {
	for i := 0; i+1 < len(ls); i++ {
		a, b := &ls[i], &ls[i+1]
		if a.region != b.region || len(a.words) == 0 || len(b.words) == 0 || b.list {
			continue
		}
		last := a.words[len(a.words)-1]
		if strings.HasSuffix(last, "\u00ad") {
			// A soft hyphen ending a line marks a break inside a word.
			a.words[len(a.words)-1] = strings.TrimSuffix(last, "\u00ad") + b.words[0]
			a.text = strings.Join(a.words, " ")
			b.words = b.words[1:]
			b.text = strings.Join(b.words, " ")
			continue
		}
		if !strings.HasSuffix(last, "-") || strings.HasSuffix(last, "--") {
			continue
		}
		stem := strings.TrimSuffix(last, "-")
		r, _ := utf8.DecodeLastRuneInString(stem)
		if !unicode.IsLetter(r) || utf8.RuneCountInString(stem) < 2 || strings.ContainsRune(stem, '-') {
			continue
		}
		next := b.words[0]
		n, _ := utf8.DecodeRuneInString(next)
		if !unicode.IsLower(n) {
			continue
		}
		if b.y-a.y > 2.5*math.Max(a.size, b.size) {
			continue
		}
		a.words[len(a.words)-1] = stem + next
		a.text = strings.Join(a.words, " ")
		b.words = b.words[1:]
		b.text = strings.Join(b.words, " ")
	}
	// A soft hyphen that was drawn inside a line is a visible hyphen.
	for i := range ls {
		if strings.ContainsRune(ls[i].text, 0xad) {
			ls[i].text = strings.ReplaceAll(ls[i].text, "\u00ad", "-")
		}
	}
	return ls
}

// inkUnderInvisible makes invisible text visible where ink is painted at its
// place: the text layer of a scanned page, or of text drawn as outlines,
// which a reader sees as the image or the outlines.
func (p *interp) inkUnderInvisible() {
	for i := range p.glyphs {
		g := &p.glyphs[i]
		if g.hidden != layout.ReasonRenderMode {
			continue
		}
		x0, x1 := math.Min(g.x0, g.x1), math.Max(g.x0, g.x1)
		cx, cy := (x0+x1)/2, g.y-g.size*0.3
		size := g.size
		if p.paintAt(cx, cy, len(p.paints), func(pt *paint) bool {
			return pt.image || (!pt.c.white() && pt.y1-pt.y0 <= 4*size)
		}) >= 0 {
			g.hidden = ""
		}
	}
}

// liftHeader moves the fragments of a that end more than two lines above
// the first fragment of b into head, when they are a few lines only.
func liftHeader(a, b, head []*frag, med float64) ([]*frag, []*frag, []*frag) {
	if len(b) == 0 {
		return a, b, head
	}
	bTop := math.Inf(1)
	for _, f := range b {
		bTop = math.Min(bTop, f.top)
	}
	keep := a[:0:0]
	var lift []*frag
	for _, f := range a {
		if f.bot < bTop-2*med {
			lift = append(lift, f)
		} else {
			keep = append(keep, f)
		}
	}
	// Only a few lines make a header; more is a column starting higher.
	if len(lift) == 0 || len(lift) > 3 || 5*len(lift) > len(a) {
		return a, b, head
	}
	return keep, b, append(head, lift...)
}
