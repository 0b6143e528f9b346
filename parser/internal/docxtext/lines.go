package docxtext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"sift/parser/internal/layout"
)

// emit turns a finished paragraph into lines (one per line break) and
// hidden text, then adds the lines of text boxes anchored in it.
func (w *walker) emit(p *para) {
	st := w.styles
	name := ""
	if p.style != "" {
		name = st.name(p.style)
	}
	level := 0
	switch {
	case p.outline > 0:
		level = p.outline
	case p.outline == 0:
		level = st.level(p.style)
	}
	list := p.list == on || p.list == unset && st.list(p.style)

	// Hidden text: consecutive segments with the same reason.
	var hb strings.Builder
	reason := ""
	flushHidden := func() {
		if t := clean(hb.String()); t != "" {
			w.hidden = append(w.hidden, layout.Hidden{Text: t, Reason: reason})
		}
		hb.Reset()
		reason = ""
	}
	for _, s := range p.segs {
		if s.hidden != reason && reason != "" {
			flushHidden()
		}
		if s.hidden != "" {
			reason = s.hidden
			hb.WriteString(s.text)
		}
	}
	flushHidden()

	// Visible text, split at line breaks.
	first := true
	var lb lineBuilder
	flush := func() {
		line, ok := lb.line()
		lb = lineBuilder{}
		if !ok {
			return
		}
		line.Style, line.Level = name, level
		if first {
			line.Block = true
			if t, ok := dropBullet(line.Text); ok {
				line.Text, list = t, true
			}
			line.List = list
			first = false
		}
		if line.Text != "" {
			*w.sink = append(*w.sink, line)
		}
	}
	for _, s := range p.segs {
		if s.hidden != "" {
			continue
		}
		text := s.text
		for {
			i := strings.IndexByte(text, '\n')
			if i < 0 {
				lb.add(text, s.props)
				break
			}
			lb.add(text[:i], s.props)
			flush()
			text = text[i+1:]
		}
	}
	flush()
	*w.sink = append(*w.sink, p.after...)
}

// lineBuilder collects a line's text and weighs its properties by the
// letters set in them.
type lineBuilder struct {
	b                        strings.Builder
	chars, bold, italic, cap int
	sizes                    map[float64]int
}

func (lb *lineBuilder) add(s string, r rprops) {
	lb.b.WriteString(s)
	n := 0
	for _, c := range s {
		if !unicode.IsSpace(c) {
			n++
		}
	}
	if n == 0 {
		return
	}
	lb.chars += n
	if r.bold.is() {
		lb.bold += n
	}
	if r.italic.is() {
		lb.italic += n
	}
	if r.caps.is() {
		lb.cap += n
	}
	if r.size > 0 {
		if lb.sizes == nil {
			lb.sizes = map[float64]int{}
		}
		lb.sizes[r.size] += n
	}
}

func (lb *lineBuilder) line() (layout.Line, bool) {
	text := clean(lb.b.String())
	if text == "" {
		return layout.Line{}, false
	}
	l := layout.Line{
		Text:   text,
		Bold:   lb.bold*2 > lb.chars,
		Italic: lb.italic*2 > lb.chars,
		Caps:   lb.cap*2 > lb.chars,
	}
	best := 0
	for size, n := range lb.sizes {
		if n > best || n == best && size > l.Size {
			l.Size, best = size, n
		}
	}
	if l.Size == 0 {
		l.Size = defaultSize
	}
	return l, true
}

// defaultSize is Word's font size, in points, when neither the document
// defaults nor a style set one.
const defaultSize = 10

// clean normalises white space to single spaces, trims the ends, and drops
// characters that are not seen: soft hyphens, zero-width characters,
// controls. A private-use character (an icon from a symbol font) becomes a
// space.
func clean(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case c == utf8.RuneError && n == 1:
			continue
		case c == '\u00AD', c == '\u200B', c == '\u200C', c == '\u200D', c == '\u2060', c == '\uFEFF':
			continue
		case unicode.IsSpace(c), c < 0x20, c >= 0x7F && c < 0xA0, c >= 0xE000 && c <= 0xF8FF:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(c)
	}
	return b.String()
}

// bullets are characters typed (or left by a converter) at the start of a
// list item.
const bullets = "•◦▪▫●○■□►▸‣➢➤✓✔❖⁃∙·-–*"

// dropBullet removes a leading bullet and the space after it.
func dropBullet(s string) (string, bool) {
	c, n := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune(bullets, c) {
		return s, false
	}
	rest := s[n:]
	if !strings.HasPrefix(rest, " ") {
		return s, false
	}
	return strings.TrimLeft(rest, " "), true
}

// joinBullets drops lines that hold only a bullet (a converter's separate
// text box, or a bullet followed by a line break) and marks the line after
// each as a list item.
func joinBullets(lines []layout.Line) []layout.Line {
	out := lines[:0]
	pending := false
	for _, l := range lines {
		if c, n := utf8.DecodeRuneInString(l.Text); n == len(l.Text) && strings.ContainsRune(bullets, c) {
			pending = true
			continue
		}
		if pending {
			l.List, l.Block = true, true
			pending = false
		}
		out = append(out, l)
	}
	return out
}
