// Compiled with interp/heap's include view (tests/layers/CMakeLists.txt): the
// VM is a layer above the heap, so its header is not there to include.
#include "interp/heap/heap.hpp"
#include "interp/vm/vm.hpp"
