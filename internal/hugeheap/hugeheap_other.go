//go:build !linux

package hugeheap

func advise(int) (uintptr, uintptr) { return 0, 0 }

func disabled() bool { return true }
