package render

import "golang.org/x/sys/cpu"

// useBlocks is whether plainBlocks may run: it needs AVX2.
var useBlocks = cpu.X86.HasAVX2

// plainBlocks is in plain_amd64.s.
//
//go:noescape
func plainBlocks(s string) int
