module github.com/execspec/execspec/mbt/internal/porcupinebench

go 1.25

require (
	github.com/anishathalye/porcupine v1.3.1
	github.com/execspec/execspec v0.0.0
)

require (
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	github.com/zeebo/xxh3 v1.1.0 // indirect
	golang.org/x/sys v0.30.0 // indirect
)

replace github.com/execspec/execspec => ../../..
