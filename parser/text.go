package parser

// The plain-text and Markdown readers. Helpers here are prefixed txt and md
// to keep out of the way of the rest of the package.

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"sift/parser/internal/layout"
)

// readText reads plain text. The encoding is UTF-8 (a byte order mark is
// dropped), UTF-16 with a byte order mark, or Windows-1252 for bytes that
// are not UTF-8. Every non-blank line is a Line: the first after a blank
// line starts a Block; a form feed starts a page (pages then count from 1);
// a line of '=' or '-' under a line makes that line a heading (Level 1 or 2)
// and is dropped, as are other rules ("-----", "*****", "_____"); a leading
// bullet is dropped and marks the line a list item (a leading "1." is kept,
// it is content). Tabs and runs of spaces become one space.
func readText(data []byte) *layout.Document {
	text := txtNewlines(txtDecode(data))
	doc := &layout.Document{}
	pages := strings.Split(text, "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	paged := len(pages) > 1
	if paged {
		doc.Pages = len(pages)
	}
	for i, page := range pages {
		pageNo := 0
		if paged {
			pageNo = i + 1
		}
		block := true
		for _, raw := range strings.Split(page, "\n") {
			t := txtSqueeze(raw)
			if t == "" {
				block = true
				continue
			}
			if rule, level := txtRule(t); rule {
				if level > 0 && !block && len(doc.Lines) > 0 {
					if prev := &doc.Lines[len(doc.Lines)-1]; !prev.List && prev.Level == 0 {
						prev.Level = level
					}
				}
				block = true
				continue
			}
			line := layout.Line{Text: t, Page: pageNo, Block: block}
			block = false
			if rest, ok := txtBullet(t); ok {
				line.Text, line.List = rest, true
			} else if txtNumbered.MatchString(t) {
				line.List = true
			}
			if line.Text != "" {
				doc.Lines = append(doc.Lines, line)
			}
		}
	}
	return doc
}

// txtDecode returns text as UTF-8. UTF-16 needs a byte order mark; bytes
// that do not form UTF-8 are read as Windows-1252, one at a time, so a file
// that mixes the two keeps its UTF-8.
func txtDecode(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF:
		data = data[3:]
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		be := data[0] == 0xFE
		u := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			if be {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		return string(utf16.Decode(u))
	}
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n == 1 {
			r = txtCP1252(data[0])
		}
		if r != 0 {
			b.WriteRune(r)
		}
		data = data[n:]
	}
	return b.String()
}

// txtCP1252 maps a byte to its Windows-1252 character; the five bytes the
// code page leaves undefined map to 0 (dropped).
func txtCP1252(c byte) rune {
	const high = "€\x00‚ƒ„…†‡ˆ‰Š‹Œ\x00Ž\x00\x00‘’“”•–—˜™š›œ\x00žŸ"
	if c >= 0x80 && c < 0xA0 {
		return []rune(high)[c-0x80]
	}
	return rune(c)
}

// txtNewlines turns CRLF and CR into LF.
func txtNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// txtSqueeze turns runs of white space (tabs included) into one space,
// trims the ends, and drops other control characters, soft hyphens and
// zero-width characters.
func txtSqueeze(s string) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		switch {
		case c == '\u00AD', c == '\u200B', c == '\u200C', c == '\u200D', c == '\u2060', c == '\uFEFF', c == utf8.RuneError:
			continue
		case unicode.IsSpace(c):
			space = true
			continue
		case c < 0x20, c >= 0x7F && c < 0xA0:
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

// txtRule reports whether a line is a rule: three or more of one of
// "=-_*~" or a box-drawing line, spaces allowed between. level is 1 for an
// '=' (or double) line and 2 for a '-' (or single) line, which underline a
// heading; 0 for other rules.
func txtRule(t string) (rule bool, level int) {
	first, _ := utf8.DecodeRuneInString(t)
	if !strings.ContainsRune("=-_*~─━═", first) {
		return false, 0
	}
	n, spaced := 0, false
	for _, c := range t {
		switch c {
		case first:
			n++
		case ' ':
			spaced = true
		default:
			return false, 0
		}
	}
	if n < 3 {
		return false, 0
	}
	switch {
	case spaced:
		return true, 0
	case first == '=' || first == '═':
		return true, 1
	case first == '-' || first == '─' || first == '━':
		return true, 2
	}
	return true, 0
}

// txtBullets start list items; ASCII ones and dashes must be followed by a
// space.
const txtBullets = "•◦▪▫●○■□►▸‣➢➤✓✔❖⁃∙·"

// txtBullet drops a leading bullet.
func txtBullet(t string) (string, bool) {
	c, n := utf8.DecodeRuneInString(t)
	rest := t[n:]
	switch {
	case strings.ContainsRune(txtBullets, c), c >= 0xE000 && c <= 0xF8FF:
		return strings.TrimLeft(rest, " "), true
	case strings.ContainsRune("-*+–—", c) && strings.HasPrefix(rest, " "):
		return strings.TrimLeft(rest, " "), true
	}
	return t, false
}

// txtNumbered matches a numbered list item: "1. ", "2) ", "(3) ".
var txtNumbered = regexp.MustCompile(`^\(?[0-9]{1,2}[.)] `)

// readMarkdown reads Markdown. Headings (ATX "#" and Setext underlines) set
// Level; emphasis, code and HTML markup is removed from the text, and a line
// set entirely in strong emphasis is Bold; links become "text (url)" so that
// addresses survive; list markers are dropped and set List (an ordered
// item's number is kept, as in plain text); fenced code is kept as text;
// rules and YAML front matter are dropped; table rows become their cells
// joined by " | ", without the delimiter row.
func readMarkdown(data []byte) *layout.Document {
	lines := strings.Split(txtNewlines(txtDecode(data)), "\n")
	start := mdFrontMatter(lines)
	lines = lines[start:]
	md := &mdReader{refs: mdLinkDefs(lines), doc: &layout.Document{}, block: true}
	for i := 0; i < len(lines); i++ {
		var next string
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		if md.line(lines[i], next) {
			i++ // the next line was consumed (a Setext underline or a delimiter row)
		}
	}
	return md.doc
}

// mdReader holds the state of the Markdown reader between lines.
type mdReader struct {
	doc       *layout.Document
	refs      map[string]string // link reference definitions, by folded label
	block     bool              // the next line starts a block
	fence     string            // the open code fence ("```", "~~~~"), or ""
	comment   bool              // inside an HTML comment
	table     bool              // inside a table
	paragraph bool              // the last line was paragraph text
}

var (
	mdATX       = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdBullet    = regexp.MustCompile(`^\s*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?`)
	mdOrdered   = regexp.MustCompile(`^\s*([0-9]{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?`)
	mdFence     = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	mdDelimRow  = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)
	mdRefDef    = regexp.MustCompile(`^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+["'(].*["')])?\s*$`)
	mdSetextRow = regexp.MustCompile(`^ {0,3}(=+|-{2,})[ \t]*$`)
)

// line reads one line; it reports whether it consumed next too.
func (md *mdReader) line(raw, next string) bool {
	if md.fence != "" {
		if t := strings.TrimSpace(raw); strings.HasPrefix(t, md.fence) && strings.Trim(t, md.fence[:1]) == "" {
			md.fence = ""
			md.block = true
			return false
		}
		md.add(layout.Line{Text: txtSqueeze(raw)})
		return false
	}
	raw = md.stripComments(raw)
	t := strings.TrimSpace(raw)
	if t == "" {
		md.block, md.table, md.paragraph = true, false, false
		return false
	}
	if m := mdMatch(t[0] == '`' || t[0] == '~', mdFence, raw); m != nil {
		md.fence = m[1]
		md.block = true
		return false
	}
	if t[0] == '[' && !md.paragraph && mdRefDef.MatchString(raw) {
		return false
	}
	// Block quotes: the markers go, the text is read as any other.
	for strings.HasPrefix(t, ">") {
		t = strings.TrimSpace(t[1:])
	}
	if t == "" {
		md.block = true
		return false
	}
	if m := mdMatch(t[0] == '#', mdATX, t); m != nil {
		md.block = true
		md.add(layout.Line{Text: md.inline(m[2]), Level: len(m[1])})
		md.block, md.paragraph = true, false
		return false
	}
	if strings.Contains(t, "|") && strings.Contains(t, "-") && mdDelimRow.MatchString(t) {
		md.table = true
		return false
	}
	header := strings.Contains(t, "|") && strings.Contains(next, "|") && strings.Contains(next, "-") && mdDelimRow.MatchString(next)
	if md.table || header || strings.HasPrefix(t, "|") {
		consumed := header && !md.table
		md.table = true
		md.add(layout.Line{Text: md.row(t)})
		md.paragraph = false
		return consumed
	}
	if rule, _ := txtRule(t); rule && strings.IndexByte("-*_", t[0]) >= 0 {
		md.block, md.paragraph = true, false
		return false
	}
	line := layout.Line{}
	if m := mdMatch(strings.IndexByte("-*+", t[0]) >= 0, mdBullet, t); m != nil {
		t, line.List = t[len(m[0]):], true
	} else if m := mdMatch(t[0] >= '0' && t[0] <= '9', mdOrdered, t); m != nil {
		t, line.List = m[1]+" "+t[len(m[0]):], true
	}
	line.Bold = mdAllStrong(t)
	line.Text = md.inline(t)
	if n := strings.TrimSpace(next); !line.List && n != "" && (n[0] == '=' || n[0] == '-') && mdSetextRow.MatchString(next) {
		// A Setext heading; the underline is consumed.
		line.Level = 1
		if strings.TrimSpace(next)[0] == '-' {
			line.Level = 2
		}
		md.block = true
		md.add(line)
		md.block, md.paragraph = true, false
		return true
	}
	if md.add(line) {
		md.paragraph = !line.List
	} else {
		md.block = true // a line of markup only, such as an HTML block's tag
	}
	return false
}

// mdMatch returns re's submatches in s, or nil; re is not run unless the
// cheap test ok holds.
func mdMatch(ok bool, re *regexp.Regexp, s string) []string {
	if !ok {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// add appends a line that has text, starting a block when one is due; it
// reports whether there was text.
func (md *mdReader) add(l layout.Line) bool {
	l.Text = txtSqueeze(l.Text)
	if l.Text == "" {
		return false
	}
	l.Block = md.block
	md.block = false
	md.doc.Lines = append(md.doc.Lines, l)
	return true
}

// stripComments removes HTML comments, which may span lines.
func (md *mdReader) stripComments(s string) string {
	var b strings.Builder
	for s != "" {
		if md.comment {
			i := strings.Index(s, "-->")
			if i < 0 {
				return b.String()
			}
			s = s[i+3:]
			md.comment = false
			continue
		}
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i+4:]
		md.comment = true
	}
	return b.String()
}

// row returns a table row's cells joined by " | ".
func (md *mdReader) row(t string) string {
	t = strings.TrimSpace(t)
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, `\|`) {
		t = t[:len(t)-1]
	}
	var cells []string
	var cell strings.Builder
	code := false
	flush := func() {
		if text := txtSqueeze(md.inline(cell.String())); text != "" {
			cells = append(cells, text)
		}
		cell.Reset()
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '\\' && i+1 < len(t) && t[i+1] == '|':
			cell.WriteByte('|')
			i++
		case c == '`':
			code = !code
			cell.WriteByte(c)
		case c == '|' && !code:
			flush()
		default:
			cell.WriteByte(c)
		}
	}
	flush()
	return strings.Join(cells, " | ")
}

// mdFrontMatter returns the index of the first line after YAML front
// matter: a "---" first line, "key: value" lines, and a closing "---" or
// "...".
func mdFrontMatter(lines []string) int {
	if len(lines) < 3 || strings.TrimSpace(lines[0]) != "---" {
		return 0
	}
	for i := 1; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "---" || t == "..." {
			if i == 1 {
				return 0
			}
			return i + 1
		}
		if i == 1 && !strings.Contains(t, ":") {
			return 0
		}
	}
	return 0
}

// mdLinkDefs collects link reference definitions: [label]: url.
func mdLinkDefs(lines []string) map[string]string {
	refs := map[string]string{}
	for _, l := range lines {
		if m := mdRefDef.FindStringSubmatch(l); m != nil {
			label := mdFold(m[1])
			if _, dup := refs[label]; !dup {
				refs[label] = m[2]
			}
		}
	}
	return refs
}

func mdFold(label string) string { return strings.ToLower(strings.Join(strings.Fields(label), " ")) }

// mdAllStrong reports whether a line is set entirely in strong emphasis.
func mdAllStrong(t string) bool {
	t = strings.TrimSpace(t)
	for _, m := range []string{"**", "__"} {
		if len(t) > 4 && strings.HasPrefix(t, m) && strings.HasSuffix(t, m) && !strings.Contains(t[2:len(t)-2], m) {
			return true
		}
	}
	return false
}

// mdTok is a piece of inline text: literal text, or a run of emphasis
// delimiters.
type mdTok struct {
	text              string
	delim             byte // '*', '_' or '~'; 0 for text
	n                 int  // delimiters left in the run
	canOpen, canClose bool
}

// inline returns a line's text with inline markup resolved: code spans
// kept literally, escapes resolved, links as "text (url)", images as their
// alt text, autolinks as their address, HTML tags dropped (a link's href
// kept), entities decoded, and matched emphasis markers removed.
func (md *mdReader) inline(s string) string { return md.inlineDepth(s, 0) }

func (md *mdReader) inlineDepth(s string, depth int) string {
	var toks []mdTok
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			toks = append(toks, mdTok{text: text.String()})
			text.Reset()
		}
	}
	literal := func(s string) { text.WriteString(s) }
	var hrefs []string
	lastClose := strings.LastIndexByte(s, ']')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0:
			literal(s[i+1 : i+2])
			i += 2
			continue
		case c == '`':
			n := mdRun(s, i, '`')
			if end := strings.Index(mdWindow(s, i+n), s[i:i+n]); end >= 0 {
				code := s[i+n : i+n+end]
				if len(code) > 2 && code[0] == ' ' && code[len(code)-1] == ' ' {
					code = code[1 : len(code)-1]
				}
				literal(code)
				i += n + end + n
				continue
			}
			literal(s[i : i+n])
			i += n
			continue
		case c == '!' && i+1 < len(s) && s[i+1] == '[' && depth < 8 && i < lastClose:
			if label, _, end, ok := md.link(s, i+1); ok {
				literal(md.inlineDepth(label, depth+1))
				i = end
				continue
			}
		case c == '[' && depth < 8 && i < lastClose:
			if label, url, end, ok := md.link(s, i); ok {
				label = md.inlineDepth(label, depth+1)
				switch {
				case url == "" || strings.TrimSpace(label) == url || strings.TrimPrefix(url, "mailto:") == strings.TrimSpace(label):
					literal(label)
				case strings.TrimSpace(label) == "":
					literal(url)
				default:
					literal(label + " (" + url + ")")
				}
				i = end
				continue
			}
		case c == '<':
			if end := strings.IndexByte(mdWindow(s, i), '>'); end > 0 {
				inner := s[i+1 : i+end]
				switch {
				case mdAutolink.MatchString(inner):
					literal(strings.TrimPrefix(inner, "mailto:"))
					i += end + 1
					continue
				case mdTag.MatchString(inner):
					name := strings.ToLower(mdTag.FindStringSubmatch(inner)[1])
					switch {
					case name == "a":
						hrefs = append(hrefs, mdHref(inner))
					case name == "/a" && len(hrefs) > 0:
						h := hrefs[len(hrefs)-1]
						hrefs = hrefs[:len(hrefs)-1]
						if h != "" && !strings.HasPrefix(h, "#") && !strings.HasSuffix(strings.TrimSpace(text.String()), strings.TrimPrefix(h, "mailto:")) {
							literal(" (" + h + ")")
						}
					case name == "br" || name == "br/" || name == "p" || name == "/p" || name == "div" || name == "/div" || name == "td" || name == "/td":
						literal(" ")
					}
					i += end + 1
					continue
				}
			}
		case c == '&':
			if end := strings.IndexByte(s[i:min(len(s), i+12)], ';'); end > 1 {
				if u := html.UnescapeString(s[i : i+end+1]); u != s[i:i+end+1] {
					literal(u)
					i += end + 1
					continue
				}
			}
		case c == '*' || c == '_' || c == '~':
			n := mdRun(s, i, c)
			if c == '~' && n != 2 {
				literal(s[i : i+n])
				i += n
				continue
			}
			before, after := ' ', ' '
			if i > 0 {
				before, _ = utf8.DecodeLastRuneInString(s[:i])
			}
			if i+n < len(s) {
				after, _ = utf8.DecodeRuneInString(s[i+n:])
			}
			left := !unicode.IsSpace(after) && (!mdPunct(after) || unicode.IsSpace(before) || mdPunct(before))
			right := !unicode.IsSpace(before) && (!mdPunct(before) || unicode.IsSpace(after) || mdPunct(after))
			open, close := left, right
			if c == '_' {
				open = left && (!right || mdPunct(before))
				close = right && (!left || mdPunct(after))
			}
			flush()
			toks = append(toks, mdTok{text: s[i : i+n], delim: c, n: n, canOpen: open, canClose: close})
			i += n
			continue
		}
		text.WriteByte(c)
		i++
	}
	flush()
	// Match closers with the nearest open opener of the same kind; matched
	// markers are removed, unmatched ones stay as text.
	openers := map[byte][]int{}
	for ti := range toks {
		tk := &toks[ti]
		if tk.delim == 0 {
			continue
		}
		if tk.canClose {
			stack := openers[tk.delim]
			for len(stack) > 0 && tk.n > 0 {
				op := &toks[stack[len(stack)-1]]
				use := min(op.n, tk.n)
				op.n -= use
				tk.n -= use
				if op.n == 0 {
					stack = stack[:len(stack)-1]
				}
			}
			openers[tk.delim] = stack
		}
		if tk.canOpen && tk.n > 0 {
			openers[tk.delim] = append(openers[tk.delim], ti)
		}
	}
	var b strings.Builder
	for _, t := range toks {
		if t.delim == 0 {
			b.WriteString(t.text)
		} else {
			b.WriteString(strings.Repeat(string(t.delim), t.n))
		}
	}
	return b.String()
}

var (
	mdAutolink = regexp.MustCompile(`^(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$`)
	mdTag      = regexp.MustCompile(`^(/?[A-Za-z][A-Za-z0-9-]*/?)(?:\s[^<>]*)?/?$|^(!--.*--|!\w[^<>]*|\?[^<>]*\?)$`)
	mdHrefAttr = regexp.MustCompile(`(?i)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
)

func mdHref(tag string) string {
	m := mdHrefAttr.FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1] + m[2] + m[3])
}

// mdScanLimit bounds how far past a '[', '<' or '`' the reader looks for
// the end of a link, tag or code span, so that long lines stay linear.
const mdScanLimit = 2048

// mdWindow returns s from i, at most mdScanLimit bytes.
func mdWindow(s string, i int) string {
	if i > len(s) {
		return ""
	}
	return s[i:min(len(s), i+mdScanLimit)]
}

// mdRun returns the length of the run of c at s[i].
func mdRun(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

func mdPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// link parses a link at s[i] == '[': [label](dest "title"), [label][ref],
// [label][] or [label] with a definition. It returns the label, the
// destination and the index after the link.
func (md *mdReader) link(s string, i int) (label, url string, end int, ok bool) {
	depth, j := 0, i
	limit := min(len(s), i+mdScanLimit)
	for ; j < limit; j++ {
		switch s[j] {
		case '\\':
			j++
			continue
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if j >= limit {
		return "", "", 0, false
	}
	label = s[i+1 : j]
	rest := s[j+1:]
	switch {
	case strings.HasPrefix(rest, "("):
		k, paren := 1, 1
		for ; k < min(len(rest), mdScanLimit) && paren > 0; k++ {
			switch rest[k] {
			case '\\':
				k++
			case '(':
				paren++
			case ')':
				paren--
			}
		}
		if paren != 0 {
			return "", "", 0, false
		}
		dest := strings.TrimSpace(rest[1 : k-1])
		if f := strings.Fields(dest); len(f) > 0 {
			dest = f[0]
		}
		dest = strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
		return label, dest, j + 1 + k, true
	case strings.HasPrefix(rest, "["):
		k := strings.IndexByte(mdWindow(rest, 0), ']')
		if k < 0 {
			return "", "", 0, false
		}
		ref := rest[1:k]
		if ref == "" {
			ref = label
		}
		if u, found := md.refs[mdFold(ref)]; found {
			return label, u, j + 1 + k + 1, true
		}
		return "", "", 0, false
	}
	if u, found := md.refs[mdFold(label)]; found && label != "" {
		return label, u, j + 1, true
	}
	return "", "", 0, false
}
