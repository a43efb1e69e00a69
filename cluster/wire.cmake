# cluster/wire.cmake: the node protocol's frames (wire.capnp, the frame
# encoder and decoder) as the library weft_cluster_wire. Pure code, no
# sockets: the connection layer drives it.

# Generated code goes to <build>/cluster/gen/cluster/wire.capnp.{h,c++}, so
# users include it as "cluster/wire.capnp.h". wire.capnp imports
# /serialize/term.capnp (its Pid and Ref) from the top of the tree.
set(CAPNPC_SRC_PREFIX "${PROJECT_SOURCE_DIR}")
set(CAPNPC_IMPORT_DIRS "${PROJECT_SOURCE_DIR}")
set(CAPNPC_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/gen")
file(MAKE_DIRECTORY "${CAPNPC_OUTPUT_DIR}")
capnp_generate_cpp(WEFT_WIRE_CAPNP_SRCS WEFT_WIRE_CAPNP_HDRS wire.capnp)
unset(CAPNPC_SRC_PREFIX)
unset(CAPNPC_IMPORT_DIRS)
unset(CAPNPC_OUTPUT_DIR)
# Generated code is not ours to keep warning-free.
set_source_files_properties(${WEFT_WIRE_CAPNP_SRCS} PROPERTIES COMPILE_OPTIONS "-w")

add_library(weft_cluster_wire STATIC
  frame_encoder.cpp
  frame_decoder.cpp
  ${WEFT_WIRE_CAPNP_SRCS}
)
target_include_directories(weft_cluster_wire SYSTEM PUBLIC "${CMAKE_CURRENT_BINARY_DIR}/gen")
weft_layer(weft_cluster_wire cluster DEPENDS weft_serialize)
