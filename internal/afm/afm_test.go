package afm

import "testing"

func TestWidth(t *testing.T) {
	tests := []struct {
		font string
		r    rune
		want float64
		ok   bool
	}{
		{"Helvetica", ' ', 278, true},
		{"Helvetica", 'W', 944, true},
		{"Helvetica-Bold", 'i', 278, true},
		{"ABCDEF+Helvetica-BoldOblique", 'm', 889, true},
		{"Arial,Bold", 'a', 556, true},
		{"ArialMT", 'i', 222, true},
		{"Times-Roman", 'a', 444, true},
		{"Times-Bold", 'a', 500, true},
		{"Times-Italic", 'a', 500, true},
		{"Times-BoldItalic", 'W', 889, true},
		{"Courier-Bold", 'x', 600, true},
		{"Helvetica", '\uFB01', 500, true},
		{"Helvetica", 'é', 0, false},
		{"CMR10", 'a', 0, false},
	}
	for _, tt := range tests {
		got, ok := Width(tt.font, tt.r)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Width(%q, %q) = %v, %v; want %v, %v", tt.font, tt.r, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTablesComplete(t *testing.T) {
	for name, table := range map[string]*[95]uint16{
		"helvetica": &helvetica, "helveticaBold": &helveticaBold, "timesRoman": &timesRoman,
		"timesBold": &timesBold, "timesItalic": &timesItalic, "timesBoldItalic": &timesBoldItalic,
	} {
		for i, w := range table {
			if w < 150 || w > 1100 {
				t.Errorf("%s[%q] = %d; want a width between 150 and 1100", name, rune(i+32), w)
			}
		}
	}
}
