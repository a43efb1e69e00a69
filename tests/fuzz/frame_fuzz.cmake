# tests/fuzz/frame_fuzz.cmake: the frame decoder's fuzzer and its seeds.
#
# frame_corpus_gen writes the seed corpus (frame_corpus/, committed). The
# fuzzer itself needs clang's libFuzzer: with another compiler, or beside
# ThreadSanitizer, its smoke test reports itself skipped.

add_executable(frame_corpus_gen frame_corpus_gen.cpp)
target_link_libraries(frame_corpus_gen PRIVATE weft_cluster_wire)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND NOT WEFT_SANITIZE STREQUAL "thread")
  # The code under test is compiled again here, instrumented, so that the
  # fuzzer sees coverage inside the decoder, libcapnp's generated readers and
  # serialize/ (validate, envelopes, decode), not only in the harness.
  set(frame_fuzz_sources frame_fuzz.cpp)
  foreach(lib weft_cluster_wire weft_serialize)
    get_target_property(lib_sources ${lib} SOURCES)
    get_target_property(lib_dir ${lib} SOURCE_DIR)
    foreach(src IN LISTS lib_sources)
      if(IS_ABSOLUTE "${src}")
        list(APPEND frame_fuzz_sources "${src}")
        if(src MATCHES "\\.capnp\\.c\\+\\+$")
          set_source_files_properties("${src}" PROPERTIES COMPILE_OPTIONS "-w")
        endif()
      else()
        list(APPEND frame_fuzz_sources "${lib_dir}/${src}")
      endif()
    endforeach()
  endforeach()
  add_executable(frame_fuzz ${frame_fuzz_sources})
  add_dependencies(frame_fuzz weft_cluster_wire weft_serialize)  # their generated code
  target_include_directories(frame_fuzz SYSTEM PRIVATE
    $<TARGET_PROPERTY:weft_cluster_wire,INTERFACE_INCLUDE_DIRECTORIES>
    $<TARGET_PROPERTY:weft_serialize,INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_options(frame_fuzz PRIVATE -fsanitize=fuzzer,address)
  target_link_options(frame_fuzz PRIVATE -fsanitize=fuzzer,address)
  target_link_libraries(frame_fuzz PRIVATE CapnProto::capnp CapnProto::kj)

  # A few seconds from the seeds; what it finds goes to the build tree.
  set(frame_fuzz_found "${CMAKE_CURRENT_BINARY_DIR}/frame_corpus_found")
  file(MAKE_DIRECTORY "${frame_fuzz_found}")
  add_test(NAME fuzz/frame_fuzz_smoke
           COMMAND frame_fuzz -max_total_time=5 -rss_limit_mb=2048 "${frame_fuzz_found}"
                   "${CMAKE_CURRENT_SOURCE_DIR}/frame_corpus")
else()
  add_test(NAME fuzz/frame_fuzz_smoke
           COMMAND sh -c "echo 'frame_fuzz needs clang (libFuzzer) without TSan: skipped'; exit 77")
  set_tests_properties(fuzz/frame_fuzz_smoke PROPERTIES SKIP_RETURN_CODE 77)
endif()
