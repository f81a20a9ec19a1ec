package slack

import (
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

func testDirectory() *directory {
	d := newDirectory()
	d.users["U07SAM"] = &debrief.Identity{Handle: "sam.rivera", ID: "U07SAM"}
	d.channels["C06CHECKOUT"] = "inc-checkout"
	return d
}

func TestMrkdwn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text stays", "plain text stays"},
		{"<@U07SAM> can you check?", "@sam.rivera can you check?"},
		{"<@U07SAM|sam> ack", "@sam ack"},
		{"<@U0NOBODY> ping", "@U0NOBODY ping"},
		{"see <#C06CHECKOUT|inc-checkout>", "see #inc-checkout"},
		{"see <#C06CHECKOUT>", "see #inc-checkout"},
		{"see <#C06CHECKOUT|>", "see #inc-checkout"},
		{"see <#C0UNKNOWN>", "see #C0UNKNOWN"},
		{"<!here> checkout down", "@here checkout down"},
		{"<!here|here> and <!channel> and <!everyone>", "@here and @channel and @everyone"},
		{"<!subteam^S07SRE|@sre-oncall> please", "@sre-oncall please"},
		{"<!subteam^S07SRE> please", "@S07SRE please"},
		{"at <!date^1710252190^{time}|14:03 UTC>", "at 14:03 UTC"},
		{"<https://grafana.shop.example/d/x?a=1&amp;b=2|dashboard>", "dashboard (https://grafana.shop.example/d/x?a=1&b=2)"},
		{"<https://status.shop.example>", "https://status.shop.example"},
		{"<https://status.shop.example|https://status.shop.example>", "https://status.shop.example"},
		{"<mailto:oncall@shop.example|oncall@shop.example>", "oncall@shop.example"},
		{"<http://shop.example|shop.example>", "shop.example"},
		{"<tel:+4930123|+4930123>", "+4930123"},
		{"p99 &gt; 2s &amp;&amp; 5xx &lt; 1%", "p99 > 2s && 5xx < 1%"},
		{"&amp;lt; stays once", "&lt; stays once"},
		{"AT&T &copy; &", "AT&T &copy; &"},
		{"a < b without closing", "a < b without closing"},
		{"unclosed <https://x &amp; more", "unclosed <https://x & more"},
		{"<|label only>", "label only"},
		{"<>", ""},
		{"", ""},
	}
	d := testDirectory()
	for _, tt := range tests {
		if got := string(d.appendMrkdwn(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTS(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" for invalid
	}{
		{"1710252190.200300", "2024-03-12T14:03:10.2003Z"},
		{"1710252190.000001", "2024-03-12T14:03:10.000001Z"},
		{"1710252190.999999", "2024-03-12T14:03:10.999999Z"},
		{"1710252190", "2024-03-12T14:03:10Z"},
		{"1710252190.5", "2024-03-12T14:03:10.5Z"},
		{"1710252190.123456789", "2024-03-12T14:03:10.123456789Z"},
		{"0.000000", "1970-01-01T00:00:00Z"},
		{"7258118399.999999", "2199-12-31T23:59:59.999999Z"},
		{"7258118400.000000", ""},
		{"99999999999.0", ""},
		{"1710252190.1234567890", ""},
		{"1710252190.", ""},
		{".5", ""},
		{"-1.000000", ""},
		{"1e9", ""},
		{"", ""},
		{"１７.0", ""},
	}
	for _, tt := range tests {
		got, ok := parseTS([]byte(tt.in))
		if tt.want == "" {
			if ok {
				t.Errorf("parseTS(%q) = %v, want invalid", tt.in, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTS(%q) = %v, %v; want %v", tt.in, got, ok, want)
		}
	}
}

func TestIndexMarkup(t *testing.T) {
	for _, s := range []string{"", "plain", "<@U1>", "a &amp; b", "x < y & z", "x & y < z", "&", "<", "no&", "no<"} {
		if got, want := indexMarkup([]byte(s)), strings.IndexAny(s, "<&"); got != want {
			t.Errorf("indexMarkup(%q) = %d, want %d", s, got, want)
		}
	}
}
