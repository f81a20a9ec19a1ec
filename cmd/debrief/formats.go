package main

import (
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/detect"
)

// allFormats lists every input format.
func allFormats() []ingest.Format { return detect.All() }
