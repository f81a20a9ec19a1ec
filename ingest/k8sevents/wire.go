package k8sevents

// wireEvent is the union of the core/v1 Event, the events.k8s.io/v1 Event and
// the OpenShift Insights compacted item: every field is optional, and times
// stay strings so that null, "" and a bad value can be told apart from a
// decoding failure.
type wireEvent struct {
	Kind     string   `json:"kind"`
	Metadata wireMeta `json:"metadata"`
	// Namespace is only set by the OpenShift Insights compacted form.
	Namespace string `json:"namespace"`

	InvolvedObject *wireObject `json:"involvedObject"`
	Regarding      *wireObject `json:"regarding"`

	Type    string `json:"type"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
	Note    string `json:"note"`

	EventTime                string      `json:"eventTime"`
	FirstTimestamp           string      `json:"firstTimestamp"`
	LastTimestamp            string      `json:"lastTimestamp"`
	DeprecatedFirstTimestamp string      `json:"deprecatedFirstTimestamp"`
	DeprecatedLastTimestamp  string      `json:"deprecatedLastTimestamp"`
	Count                    int64       `json:"count"`
	DeprecatedCount          int64       `json:"deprecatedCount"`
	Series                   *wireSeries `json:"series"`

	Source              wireSource `json:"source"`
	DeprecatedSource    wireSource `json:"deprecatedSource"`
	ReportingComponent  string     `json:"reportingComponent"`
	ReportingController string     `json:"reportingController"`
}

type wireMeta struct {
	Name              string `json:"name"`
	Namespace         string `json:"namespace"`
	UID               string `json:"uid"`
	CreationTimestamp string `json:"creationTimestamp"`
}

type wireObject struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

type wireSource struct {
	Component string `json:"component"`
	Host      string `json:"host"`
}

type wireSeries struct {
	Count            int64  `json:"count"`
	LastObservedTime string `json:"lastObservedTime"`
}

// object returns the object the event is about, from either schema.
func (w *wireEvent) object() wireObject {
	switch {
	case w.InvolvedObject != nil:
		return *w.InvolvedObject
	case w.Regarding != nil:
		return *w.Regarding
	}
	return wireObject{}
}

// namespace is where the event lives: the timeline's channel.
func (w *wireEvent) namespace() string {
	return firstOf(w.Metadata.Namespace, w.Namespace, w.object().Namespace)
}

// message is the human text of the event, from either schema.
func (w *wireEvent) message() string { return firstOf(w.Message, w.Note) }

// reporter is the controller that reported the event.
func (w *wireEvent) reporter() string {
	return firstOf(w.ReportingController, w.ReportingComponent, w.Source.Component, w.DeprecatedSource.Component)
}

// count is how many times the event happened, 0 when unknown.
func (w *wireEvent) count() int64 {
	if w.Series != nil && w.Series.Count > 0 {
		return w.Series.Count
	}
	return max(w.Count, w.DeprecatedCount)
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
