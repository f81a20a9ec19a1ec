package debrief

// Moment is a point in the timeline that a facilitator wants to discuss. The
// vocabulary is fixed so that drafts, the meeting room and stored incidents
// speak the same language.
type Moment string

// Moments, in the order an incident usually meets them.
const (
	MomentDetection     Moment = "detection"
	MomentEscalation    Moment = "escalation"
	MomentHypothesis    Moment = "hypothesis"
	MomentDecision      Moment = "decision"
	MomentConfusion     Moment = "confusion"
	MomentMissingSignal Moment = "missing_signal"
	MomentMitigation    Moment = "mitigation"
	MomentResolution    Moment = "resolution"
)

// Moments lists every moment in display order.
var Moments = []Moment{
	MomentDetection, MomentEscalation, MomentHypothesis, MomentDecision,
	MomentConfusion, MomentMissingSignal, MomentMitigation, MomentResolution,
}
