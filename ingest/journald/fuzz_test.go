package journald

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "journald", "testdata/*")
	f.Add([]byte("__REALTIME_TIMESTAMP=1\nMESSAGE\n\x03\x00\x00\x00\x00\x00\x00\x00a\nb\n\n"))
	f.Add([]byte(`{"__REALTIME_TIMESTAMP":"1","MESSAGE":[[104,300],"x",null],"SYSLOG_IDENTIFIER":[1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, _ := parseBytes(t, data, ingesttest.Skip)
		for _, ev := range got {
			ingesttest.CheckEvent(t, ev)
		}
	})
}

// benchJournal builds n entries as journalctl -o json writes them, with the
// two dozen fields a real entry carries.
func benchJournal(n int) []byte {
	var b bytes.Buffer
	units := []string{"checkout.service", "nginx.service", "search-indexer.service", "kubelet.service"}
	for i := range n {
		us := int64(1748872867120448) + int64(i)*1713
		unit := units[i%len(units)]
		fmt.Fprintf(&b, `{"__CURSOR":"s=6a1b2c3d4e5f40718293a4b5c6d7e8f9;i=%x;b=8d4e2f1a9c3b4e7d8f0a1b2c3d4e5f60;m=%x;t=%x;x=%016x",`+
			`"__REALTIME_TIMESTAMP":"%d","__MONOTONIC_TIMESTAMP":"%d","__SEQNUM":"%d","__SEQNUM_ID":"6a1b2c3d4e5f40718293a4b5c6d7e8f9",`+
			`"_BOOT_ID":"8d4e2f1a9c3b4e7d8f0a1b2c3d4e5f60","_MACHINE_ID":"2f6c9e1d3a5b4c7e9f0a2b4c6d8e0f13","_HOSTNAME":"prod-web-3",`+
			`"_TRANSPORT":"stdout","_RUNTIME_SCOPE":"system","PRIORITY":"%d","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"%s",`+
			`"_PID":"%d","_UID":"998","_GID":"998","_COMM":"python3","_EXE":"/usr/bin/python3.11",`+
			`"_CMDLINE":"/srv/checkout/venv/bin/python3 -m gunicorn app:wsgi -w 8 -b 0.0.0.0:8080",`+
			`"_CAP_EFFECTIVE":"0","_SELINUX_CONTEXT":"unconfined\n","_SYSTEMD_CGROUP":"/system.slice/%s","_SYSTEMD_UNIT":"%s",`+
			`"_SYSTEMD_SLICE":"system.slice","_SYSTEMD_INVOCATION_ID":"4f1e2d3c4b5a69788796a5b4c3d2e1f0","_STREAM_ID":"d229e425983c4fc4aab17a29a17597c0",`+
			`"MESSAGE":"order %d: POST /api/v2/orders upstream=10.8.3.%d:8080 status=503 latency_ms=%d retry=%d"}`+"\n",
			i, 0x3a4021+i, us, uint64(i)*0x9e3779b97f4a7c15, us, 3817505+i, 845015+i, 3+i%4, unit[:len(unit)-8],
			40000+i%300, unit, unit, 100000+i, i%250, 20+i%900, i%5)
	}
	return b.Bytes()
}

func BenchmarkParse(b *testing.B) {
	data := benchJournal(20000)
	in := ingesttest.DataInput("journal", data)
	b.SetBytes(int64(len(data)))
	if n := ingesttest.Benchmark(b, Parse, in); n != 20000 {
		b.Fatalf("%d events, want 20000", n)
	}
}

func BenchmarkParseExport(b *testing.B) {
	var exp bytes.Buffer
	for line := range bytes.Lines(benchJournal(20000)) {
		writeExport(&exp, line)
	}
	data := exp.Bytes()
	in := ingesttest.DataInput("journal", data)
	b.SetBytes(int64(len(data)))
	if n := ingesttest.Benchmark(b, Parse, in); n != 20000 {
		b.Fatalf("%d events, want 20000", n)
	}
}
