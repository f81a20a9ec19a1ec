package webhook

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/valyala/fastjson"
)

// fingerprint returns the fingerprint Prometheus and Alertmanager give a
// label set (FNV-1a over the sorted names and values, each followed by
// 0xff, as 16 hex digits), so that an alert sent without one gets the id
// Alertmanager would have sent.
func fingerprint(labels *fastjson.Object) []byte {
	type label struct{ name, value []byte }
	var all []label
	if labels != nil {
		labels.Visit(func(k []byte, v *fastjson.Value) {
			all = append(all, label{k, v.GetStringBytes()})
		})
	}
	slices.SortFunc(all, func(a, b label) int { return bytes.Compare(a.name, b.name) })
	h := fnv.New64a()
	sep := []byte{0xff}
	for _, l := range all {
		h.Write(l.name)
		h.Write(sep)
		h.Write(l.value)
		h.Write(sep)
	}
	return fmt.Appendf(nil, "%016x", h.Sum64())
}
