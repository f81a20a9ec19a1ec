module github.com/debriefhq/debrief

go 1.26.8
