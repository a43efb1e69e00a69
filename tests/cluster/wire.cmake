# tests/cluster/wire.cmake: GoogleTest suites for the frame encoder and
# decoder (libcapnp is the oracle for the bytes).
add_executable(cluster_wire_tests
  frame_round_trip_test.cpp
  frame_lane_test.cpp
  frame_reject_test.cpp
  frame_corpus_test.cpp
)
target_link_libraries(cluster_wire_tests PRIVATE weft_cluster_wire weft_options GTest::gmock GTest::gtest GTest::gtest_main Threads::Threads)
# The fuzzer's seeds must stay valid frames as the schema evolves.
target_compile_definitions(cluster_wire_tests PRIVATE WEFT_FRAME_CORPUS_DIR="${PROJECT_SOURCE_DIR}/tests/fuzz/frame_corpus")
gtest_discover_tests(cluster_wire_tests DISCOVERY_TIMEOUT 60)
