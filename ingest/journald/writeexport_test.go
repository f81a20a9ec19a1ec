package journald

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
)

// writeExport writes one journalctl -o json line in the export format: a
// value holding a newline as a binary field, the others as KEY=value.
func writeExport(w *bytes.Buffer, line []byte) {
	var fields map[string]string
	if err := json.Unmarshal(line, &fields); err != nil {
		panic(err)
	}
	for k, v := range fields {
		if !bytes.ContainsRune([]byte(v), '\n') {
			w.WriteString(k + "=" + v + "\n")
			continue
		}
		w.WriteString(k + "\n")
		binary.Write(w, binary.LittleEndian, uint64(len(v)))
		w.WriteString(v + "\n")
	}
	w.WriteString("\n")
}
