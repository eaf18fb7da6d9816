# cmake -DCLI=easel-cli -DGOLDEN=dir -DWORK=dir -P generate_roundtrip.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

# txt2img with A1111-style options, written as PNG with parameters.
run(${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors -p "a photo of a cat, (fluffy:1.3)" -n "blurry"
    --sampler euler_ancestral --scheduler karras --steps 3 -W 64 -H 64 -s 4242 --rng cpu --clip-skip 2
    -o ${WORK}/first.png --quiet)
run(${CLI} png-info ${WORK}/first.png --json)
foreach(expected "\"Seed\": \"4242\"" "\"Sampler\": \"Euler a\"" "\"Schedule type\": \"Karras\"" "\"Size-1\": \"64\""
                 "\"RNG\": \"CPU\"" "\"Clip skip\": \"2\"")
    string(FIND "${LAST_OUTPUT}" "${expected}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "png-info lacks ${expected}:\n${LAST_OUTPUT}")
    endif()
endforeach()

# Reproduce from the PNG's metadata alone: the same file, byte for byte.
run(${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors --from-png ${WORK}/first.png -o ${WORK}/again.png --quiet)
file(SHA256 ${WORK}/first.png a)
file(SHA256 ${WORK}/again.png b)
if(NOT a STREQUAL b)
    message(FATAL_ERROR "--from-png did not reproduce the image")
endif()

# Unknown sampler: non-zero exit, the valid names listed, no file written.
execute_process(COMMAND ${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors -p x --sampler bogus
                -o ${WORK}/bad.png --quiet RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "Euler" OR EXISTS ${WORK}/bad.png)
    message(FATAL_ERROR "unknown sampler was not refused clearly: ${err}")
endif()
message(STATUS "cli round trip ok")
