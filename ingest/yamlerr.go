package ingest

import (
	"fmt"
	"strings"
)

// YAMLErrorLine is the line a gopkg.in/yaml.v3 error names ("yaml: line 4:
// ..."), or 0 when it names none.
func YAMLErrorLine(err error) int {
	var line int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i+5:], "%d", &line)
	}
	return line
}
