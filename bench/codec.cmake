# codec_bench: our term.capnp codec against libcapnp's generic builder/reader.
# Included from bench/CMakeLists.txt.
if(NOT TARGET benchmark::benchmark)
  find_package(benchmark REQUIRED)
endif()
add_executable(codec_bench ${CMAKE_CURRENT_LIST_DIR}/codec_bench.cpp)
target_link_libraries(codec_bench PRIVATE weft_serialize weft_options benchmark::benchmark)
