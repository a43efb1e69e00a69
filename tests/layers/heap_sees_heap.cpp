// Compiled with interp/heap's include view (tests/layers/CMakeLists.txt):
// the heap's own headers and serialize/'s are there, so this compiles.
#include "interp/heap/heap.hpp"
