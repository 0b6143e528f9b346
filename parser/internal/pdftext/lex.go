package pdftext

import (
	"strconv"
)

// Token kinds of the content-stream lexer. The same lexer reads PDF object
// syntax for the repair scanner and CMaps, which share the grammar.
const (
	tEOF     = iota
	tNum     // n
	tName    // s, without the slash
	tString  // s, raw bytes after escapes
	tOp      // s: an operator or keyword (Tj, obj, R, true, null, ...)
	tArray   // a
	tDict    // d
	tArrEnd  // "]" seen where an object was expected
	tDictEnd // ">>" seen where an object was expected
)

// An operand is one value on the content stream's operand stack.
type operand struct {
	kind byte
	n    float64
	s    string
	a    []operand
	d    map[string]operand
	gen  int // generation of an indirect reference (kind tOp, s "R", n the number)
}

// maxNest bounds array and dictionary nesting in parsed objects, and
// maxElems the elements kept of one array or dictionary.
const (
	maxNest  = 64
	maxElems = 1 << 18
)

// A lexer reads tokens and objects from a byte slice. It never panics and
// always makes progress: malformed bytes are skipped one at a time.
type lexer struct {
	b   []byte
	pos int
}

func isWhite(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipWhite() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// next returns the next object: a simple token, or a whole array or
// dictionary.
func (l *lexer) next() operand {
	return l.object(0)
}

func (l *lexer) object(depth int) operand {
	l.skipWhite()
	if l.pos >= len(l.b) {
		return operand{kind: tEOF}
	}
	c := l.b[l.pos]
	switch c {
	case '/':
		l.pos++
		return operand{kind: tName, s: l.readName()}
	case '(':
		l.pos++
		return operand{kind: tString, s: l.readLiteral()}
	case '<':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '<' {
			l.pos += 2
			return l.readDict(depth)
		}
		l.pos++
		return operand{kind: tString, s: l.readHex()}
	case '>':
		l.pos++
		if l.pos < len(l.b) && l.b[l.pos] == '>' {
			l.pos++
		}
		return operand{kind: tDictEnd}
	case '[':
		l.pos++
		return l.readArray(depth)
	case ']':
		l.pos++
		return operand{kind: tArrEnd}
	case '{', '}', ')':
		l.pos++
		return operand{kind: tOp, s: string(c)}
	}
	start := l.pos
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelimiter(l.b[l.pos]) {
		l.pos++
	}
	tok := l.b[start:l.pos]
	if n, ok := parseNumber(tok); ok {
		return operand{kind: tNum, n: n}
	}
	return operand{kind: tOp, s: opString(tok)}
}

// opString returns the operator's name, without allocating for the
// operators content streams are made of.
func opString(b []byte) string {
	switch string(b) {
	case "q":
		return "q"
	case "Q":
		return "Q"
	case "cm":
		return "cm"
	case "m":
		return "m"
	case "l":
		return "l"
	case "c":
		return "c"
	case "v":
		return "v"
	case "y":
		return "y"
	case "h":
		return "h"
	case "re":
		return "re"
	case "f":
		return "f"
	case "f*":
		return "f*"
	case "F":
		return "F"
	case "S":
		return "S"
	case "s":
		return "s"
	case "B":
		return "B"
	case "b":
		return "b"
	case "n":
		return "n"
	case "W":
		return "W"
	case "W*":
		return "W*"
	case "w":
		return "w"
	case "J":
		return "J"
	case "j":
		return "j"
	case "M":
		return "M"
	case "d":
		return "d"
	case "i":
		return "i"
	case "gs":
		return "gs"
	case "g":
		return "g"
	case "G":
		return "G"
	case "rg":
		return "rg"
	case "RG":
		return "RG"
	case "k":
		return "k"
	case "K":
		return "K"
	case "cs":
		return "cs"
	case "CS":
		return "CS"
	case "sc":
		return "sc"
	case "scn":
		return "scn"
	case "SC":
		return "SC"
	case "SCN":
		return "SCN"
	case "BT":
		return "BT"
	case "ET":
		return "ET"
	case "Tf":
		return "Tf"
	case "Td":
		return "Td"
	case "TD":
		return "TD"
	case "Tm":
		return "Tm"
	case "T*":
		return "T*"
	case "Tj":
		return "Tj"
	case "TJ":
		return "TJ"
	case "Tc":
		return "Tc"
	case "Tw":
		return "Tw"
	case "Tz":
		return "Tz"
	case "TL":
		return "TL"
	case "Tr":
		return "Tr"
	case "Ts":
		return "Ts"
	case "Do":
		return "Do"
	case "BDC":
		return "BDC"
	case "BMC":
		return "BMC"
	case "EMC":
		return "EMC"
	case "R":
		return "R"
	case "obj":
		return "obj"
	case "endobj":
		return "endobj"
	case "true":
		return "true"
	case "false":
		return "false"
	case "null":
		return "null"
	}
	return string(b)
}

// parseNumber parses a PDF number without allocating. It accepts the
// malformed forms producers write ("--5", "5.", ".5", "1.2.3" read as 1.2).
func parseNumber(tok []byte) (float64, bool) {
	if len(tok) == 0 {
		return 0, false
	}
	i := 0
	neg := false
	for i < len(tok) && (tok[i] == '-' || tok[i] == '+') {
		if tok[i] == '-' {
			neg = !neg
		}
		i++
	}
	if i == len(tok) {
		if i > 0 {
			return 0, true
		}
		return 0, false
	}
	var v float64
	digits := 0
	for ; i < len(tok) && tok[i] >= '0' && tok[i] <= '9'; i++ {
		v = v*10 + float64(tok[i]-'0')
		digits++
	}
	if i < len(tok) && tok[i] == '.' {
		i++
		scale := 0.1
		for ; i < len(tok) && tok[i] >= '0' && tok[i] <= '9'; i++ {
			v += float64(tok[i]-'0') * scale
			scale /= 10
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(tok) {
		// Trailing junk such as a second dot: accept a number only when the
		// rest is digits and dots.
		for ; i < len(tok); i++ {
			if tok[i] != '.' && (tok[i] < '0' || tok[i] > '9') {
				if tok[i] == 'e' || tok[i] == 'E' {
					f, err := strconv.ParseFloat(string(tok), 64)
					if err == nil {
						return f, true
					}
				}
				return 0, false
			}
		}
	}
	if neg {
		v = -v
	}
	return v, true
}

func unhexByte(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (l *lexer) readName() string {
	start := l.pos
	hasHash := false
	for l.pos < len(l.b) && !isWhite(l.b[l.pos]) && !isDelimiter(l.b[l.pos]) {
		if l.b[l.pos] == '#' {
			hasHash = true
		}
		l.pos++
	}
	raw := l.b[start:l.pos]
	if !hasHash {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) {
			h, lo := unhexByte(raw[i+1]), unhexByte(raw[i+2])
			if h >= 0 && lo >= 0 {
				out = append(out, byte(h<<4|lo))
				i += 2
				continue
			}
		}
		out = append(out, raw[i])
	}
	return string(out)
}

func (l *lexer) readLiteral() string {
	// Fast path: no escapes and no nested parentheses.
	for i := l.pos; i < len(l.b); i++ {
		c := l.b[i]
		if c == '\\' || c == '(' || c == '\r' {
			break
		}
		if c == ')' {
			s := string(l.b[l.pos:i])
			l.pos = i + 1
			return s
		}
	}
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return string(out)
			}
			out = append(out, c)
		case '\r':
			// An end of line in a literal string is a newline.
			if l.pos < len(l.b) && l.b[l.pos] == '\n' {
				l.pos++
			}
			out = append(out, '\n')
		case '\\':
			if l.pos >= len(l.b) {
				return string(out)
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
			case '\n':
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(e - '0')
				for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
					v = v*8 + int(l.b[l.pos]-'0')
					l.pos++
				}
				out = append(out, byte(v))
			default:
				out = append(out, e)
			}
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

func (l *lexer) readHex() string {
	var out []byte
	hi := -1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v := unhexByte(c)
		if v < 0 {
			continue
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		out = append(out, byte(hi<<4))
	}
	return string(out)
}

func (l *lexer) readArray(depth int) operand {
	var a []operand
	if depth >= maxNest {
		l.skipTo(']')
		return operand{kind: tArray}
	}
	for {
		o := l.object(depth + 1)
		switch o.kind {
		case tEOF, tArrEnd:
			return operand{kind: tArray, a: a}
		case tDictEnd:
			continue
		}
		if len(a) >= maxElems {
			continue // consumed, not kept
		}
		if o.kind == tOp && (o.s == "R") && len(a) >= 2 {
			// An indirect reference inside an array: keep it as one operand.
			a = append(a[:len(a)-2], operand{kind: tOp, s: "R", n: a[len(a)-2].n, gen: int(a[len(a)-1].n)})
			continue
		}
		a = append(a, o)
	}
}

func (l *lexer) readDict(depth int) operand {
	d := make(map[string]operand)
	if depth >= maxNest {
		l.skipTo('>')
		return operand{kind: tDict, d: d}
	}
	var key string
	haveKey := false
	var prev []operand // values after the key, to fold "n g R"
	flush := func() {
		if haveKey && len(prev) > 0 && len(d) < maxElems {
			d[key] = prev[0]
		}
		prev = prev[:0]
	}
	for {
		o := l.object(depth + 1)
		switch o.kind {
		case tEOF, tDictEnd:
			flush()
			return operand{kind: tDict, d: d}
		case tArrEnd:
			continue
		}
		if o.kind == tName && (!haveKey || len(prev) > 0) {
			flush()
			key, haveKey = o.s, true
			continue
		}
		if o.kind == tOp && o.s == "R" && len(prev) >= 2 {
			prev = append(prev[:0], operand{kind: tOp, s: "R", n: prev[0].n, gen: int(prev[1].n)})
			continue
		}
		prev = append(prev, o)
	}
}

func (l *lexer) skipTo(c byte) {
	for l.pos < len(l.b) && l.b[l.pos] != c {
		l.pos++
	}
	if l.pos < len(l.b) {
		l.pos++
	}
}
