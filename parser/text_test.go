package parser

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"sift/parser/internal/layout"
)

func lineTexts(doc *layout.Document) []string {
	var out []string
	for _, l := range doc.Lines {
		out = append(out, l.Text)
	}
	return out
}

func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestReadTextEncodings(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"utf-8", []byte("José Müller\nCISSP"), []string{"José Müller", "CISSP"}},
		{"utf-8 bom", []byte("\xEF\xBB\xBFJane Doe\n"), []string{"Jane Doe"}},
		{"utf-16le", utf16Bytes("Zoë Brontë\r\nCISO", false), []string{"Zoë Brontë", "CISO"}},
		{"utf-16be", utf16Bytes("Zoë 𝔘nicode\nCISO", true), []string{"Zoë 𝔘nicode", "CISO"}},
		{"windows-1252", []byte("Jos\xe9 \x93quoted\x94 \x80100 caf\xe9"), []string{"José “quoted” €100 café"}},
		{"mixed utf-8 and 1252", []byte("caf\xc3\xa9 and caf\xe9"), []string{"café and café"}},
		{"crlf and cr", []byte("one\r\ntwo\rthree\n"), []string{"one", "two", "three"}},
		{"tabs and spaces", []byte("Manager\t\t2019 -   2021  "), []string{"Manager 2019 - 2021"}},
		{"controls and soft hyphens", []byte("Man\u00adage\x01ment\u200b"), []string{"Management"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lineTexts(readText(tt.data)); !slices.Equal(got, tt.want) {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestReadTextLines(t *testing.T) {
	in := "Jane Doe\n========\n\njane@example.com\n+1 555 0100\n\nExperience\n----------\n• Led the SOC\n- Built IR plan\n* Ran drills\n1. Numbered stays\n-5% churn\n\n*****\nAfter the rule\nEDUCATION"
	want := []layout.Line{
		{Text: "Jane Doe", Level: 1, Block: true},
		{Text: "jane@example.com", Block: true},
		{Text: "+1 555 0100"},
		{Text: "Experience", Level: 2, Block: true},
		{Text: "Led the SOC", List: true, Block: true},
		{Text: "Built IR plan", List: true},
		{Text: "Ran drills", List: true},
		{Text: "1. Numbered stays", List: true},
		{Text: "-5% churn"},
		{Text: "After the rule", Block: true},
		{Text: "EDUCATION"},
	}
	doc := readText([]byte(in))
	if doc.Pages != 0 {
		t.Errorf("got %d pages; want 0", doc.Pages)
	}
	if !slices.Equal(doc.Lines, want) {
		t.Errorf("got\n%+v\nwant\n%+v", doc.Lines, want)
	}
}

func TestReadTextPages(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantPages int
		wantPage  []int
	}{
		{"no form feed", "a\nb", 0, []int{0, 0}},
		{"two pages", "a\nb\fc", 2, []int{1, 1, 2}},
		{"trailing form feed", "a\fb\f", 2, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readText([]byte(tt.in))
			var pages []int
			for _, l := range doc.Lines {
				pages = append(pages, l.Page)
			}
			if doc.Pages != tt.wantPages || !slices.Equal(pages, tt.wantPage) {
				t.Errorf("got %d pages, line pages %v; want %d, %v", doc.Pages, pages, tt.wantPages, tt.wantPage)
			}
			if len(doc.Lines) > 0 && !doc.Lines[len(doc.Lines)-1].Block && doc.Pages > 0 {
				t.Errorf("got the first line of the last page not starting a block; want Block")
			}
		})
	}
}

func TestReadMarkdown(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []layout.Line
	}{
		{"atx headings", "# Jane Doe\n## Experience ##\n###### Deep\n#NotHeading",
			[]layout.Line{{Text: "Jane Doe", Level: 1, Block: true}, {Text: "Experience", Level: 2, Block: true}, {Text: "Deep", Level: 6, Block: true}, {Text: "#NotHeading", Block: true}}},
		{"setext headings", "Jane Doe\n========\nSkills\n------\ntext",
			[]layout.Line{{Text: "Jane Doe", Level: 1, Block: true}, {Text: "Skills", Level: 2, Block: true}, {Text: "text", Block: true}}},
		{"emphasis", "Led **incident response** and *forensics* at __Acme__ for _two_ years; ~~old~~ new",
			[]layout.Line{{Text: "Led incident response and forensics at Acme for two years; old new", Block: true}}},
		{"strong line", "**Security Manager**\n**Acme** Corp",
			[]layout.Line{{Text: "Security Manager", Bold: true, Block: true}, {Text: "Acme Corp"}}},
		{"intraword underscores kept", "john_doe_99@example.com and snake_case_name 2*3",
			[]layout.Line{{Text: "john_doe_99@example.com and snake_case_name 2*3", Block: true}}},
		{"links", "[LinkedIn](https://linkedin.com/in/jane) [https://x.io](https://x.io) ![photo](me.png) <https://jane.dev> <jane@example.com> [mail](mailto:jane@example.com \"title\")",
			[]layout.Line{{Text: "LinkedIn (https://linkedin.com/in/jane) https://x.io photo https://jane.dev jane@example.com mail (mailto:jane@example.com)", Block: true}}},
		{"reference links", "See [my site][site] and [GitHub].\n\n[site]: https://jane.dev\n[github]: <https://github.com/jane> \"GH\"",
			[]layout.Line{{Text: "See my site (https://jane.dev) and GitHub (https://github.com/jane).", Block: true}}},
		{"lists", "- one\n* two\n+ three\n  - nested\n1. first\n2) second\n- [x] done",
			[]layout.Line{{Text: "one", List: true, Block: true}, {Text: "two", List: true}, {Text: "three", List: true}, {Text: "nested", List: true}, {Text: "1. first", List: true}, {Text: "2) second", List: true}, {Text: "done", List: true}}},
		{"code", "Use `kubectl *get*` here\n```go\nfunc main() { *x* }\n```\nafter",
			[]layout.Line{{Text: "Use kubectl *get* here", Block: true}, {Text: "func main() { *x* }", Block: true}, {Text: "after", Block: true}}},
		{"html", "<div align=\"center\">\n<img src=\"a.png\"/>\n<b>Jane</b> <a href=\"https://jane.dev\">site</a><br>next &amp; more\n</div>\n<!-- hidden\ncomment -->visible",
			[]layout.Line{{Text: "Jane site (https://jane.dev) next & more", Block: true}, {Text: "visible", Block: true}}},
		{"rules", "above\n\n---\n***\n_ _ _\nbelow",
			[]layout.Line{{Text: "above", Block: true}, {Text: "below", Block: true}}},
		{"table", "| Skill | Years |\n|:------|------:|\n| **Go** | 5 |\n| SIEM \\| SOAR | 3 |\n\nafter",
			[]layout.Line{{Text: "Skill | Years", Block: true}, {Text: "Go | 5"}, {Text: "SIEM | SOAR | 3"}, {Text: "after", Block: true}}},
		{"table without outer pipes", "Skill | Years\n--- | ---\nGo | 5",
			[]layout.Line{{Text: "Skill | Years", Block: true}, {Text: "Go | 5"}}},
		{"front matter", "---\ntitle: Resume\nauthor: Jane\n---\n# Jane",
			[]layout.Line{{Text: "Jane", Level: 1, Block: true}}},
		{"rule first is not front matter", "---\nJane Doe\n",
			[]layout.Line{{Text: "Jane Doe", Block: true}}},
		{"block quote", "> Quoted **text**\n> > deeper",
			[]layout.Line{{Text: "Quoted text", Block: true}, {Text: "deeper"}}},
		{"escapes and entities", `\*not emphasis\* \[x\] &copy; 2024`,
			[]layout.Line{{Text: "*not emphasis* [x] © 2024", Block: true}}},
		{"unmatched markers stay", "5 * 3 and a_ b **open",
			[]layout.Line{{Text: "5 * 3 and a_ b **open", Block: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readMarkdown([]byte(tt.in)).Lines
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestReadMarkdownEncoding(t *testing.T) {
	got := lineTexts(readMarkdown(utf16Bytes("# Zoë\r\n**Brontë**", false)))
	if want := []string{"Zoë", "Brontë"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestReadMarkdownLongLines(t *testing.T) {
	for _, unit := range []string{"[", "[a](", "<", "`", "*a ", "_a_ ", "![", "&", "|"} {
		t.Run(unit, func(t *testing.T) {
			data := []byte(strings.Repeat(unit, 100_000/len(unit)))
			start := time.Now()
			readMarkdown(data)
			readText(data)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("got %v for a 100 kB line of %q; want linear time", d, unit)
			}
		})
	}
}

func checkDoc(t *testing.T, doc *layout.Document) {
	t.Helper()
	for _, l := range doc.Lines {
		if l.Text == "" || l.Text != strings.TrimSpace(l.Text) || strings.Contains(l.Text, "  ") || !utf8.ValidString(l.Text) {
			t.Fatalf("got line %q; want non-empty, trimmed, single-spaced UTF-8", l.Text)
		}
	}
}

func FuzzReadText(f *testing.F) {
	f.Add([]byte("Jane\n====\n• a\n\fpage two\r\n1. x"))
	f.Add(utf16Bytes("Zoë\nx", true))
	f.Add([]byte("caf\xe9\x81\x8d"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDoc(t, readText(data))
	})
}

func FuzzReadMarkdown(f *testing.F) {
	f.Add([]byte("---\na: b\n---\n# H\nText **b** _i_ [l](u) ![i](s) <a href='x'>y</a>\n| a | b |\n|---|---|\n```\ncode\n```\n[r]: http://x"))
	f.Add([]byte("[[[[[[[[[[](((((((((("))
	f.Add([]byte("<!-- a\n<<<>>> `` ` *_*_**__ \\"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDoc(t, readMarkdown(data))
	})
}

func BenchmarkReadMarkdown(b *testing.B) {
	var sb strings.Builder
	for i := range 200 {
		sb.WriteString("## Position ")
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteString("\n- Led **incident response** for [Acme](https://acme.example) under _HIPAA_\n| a | b |\n\n")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		readMarkdown(data)
	}
}
