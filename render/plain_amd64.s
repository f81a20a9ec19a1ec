#include "textflag.h"

// The bytes compared with: '"', '\\', '<', '>', '&', and 0x20.
DATA escapes<>+0(SB)/1, $0x22
DATA escapes<>+1(SB)/1, $0x5c
DATA escapes<>+2(SB)/1, $0x3c
DATA escapes<>+3(SB)/1, $0x3e
DATA escapes<>+4(SB)/1, $0x26
DATA escapes<>+5(SB)/1, $0x20
GLOBL escapes<>(SB), RODATA|NOPTR, $8

// func plainBlocks(s string) int
//
// The index of the first byte of s that a JSON string cannot hold as it is
// (below 0x20, 0x80 and up, '"', '\\', '<', '>' or '&'), looking 32 bytes
// at a time; len(s) rounded down to 32 when the whole blocks hold none.
TEXT ·plainBlocks(SB), NOSPLIT, $0-24
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	XORQ AX, AX
	VPBROADCASTB escapes<>+0(SB), Y1
	VPBROADCASTB escapes<>+1(SB), Y2
	VPBROADCASTB escapes<>+2(SB), Y3
	VPBROADCASTB escapes<>+3(SB), Y4
	VPBROADCASTB escapes<>+4(SB), Y5
	VPBROADCASTB escapes<>+5(SB), Y6

loop:
	LEAQ 32(AX), DX
	CMPQ DX, CX
	JA   done
	VMOVDQU (SI)(AX*1), Y0
	VPCMPEQB Y0, Y1, Y7
	VPCMPEQB Y0, Y2, Y8
	VPOR     Y7, Y8, Y7
	VPCMPEQB Y0, Y3, Y8
	VPOR     Y7, Y8, Y7
	VPCMPEQB Y0, Y4, Y8
	VPOR     Y7, Y8, Y7
	VPCMPEQB Y0, Y5, Y8
	VPOR     Y7, Y8, Y7
	// 0x20 > b as signed bytes: below 0x20, or 0x80 and up.
	VPCMPGTB Y0, Y6, Y8
	VPOR     Y7, Y8, Y7
	VPMOVMSKB Y7, BX
	TESTL    BX, BX
	JNZ      found
	MOVQ     DX, AX
	JMP      loop

found:
	BSFL BX, BX
	ADDQ BX, AX

done:
	VZEROUPPER
	MOVQ AX, ret+16(FP)
	RET
