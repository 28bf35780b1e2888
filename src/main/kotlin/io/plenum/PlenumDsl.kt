package io.plenum

/**
 * Marks the builder blocks of Plenum's Kotlin factories (`SharedChannel<Job>("/dev/shm/jobs") { capacity = 4096 }`),
 * so that a nested block cannot set an outer builder's property by accident.
 */
@DslMarker
@Target(AnnotationTarget.CLASS, AnnotationTarget.TYPE)
annotation class PlenumDsl
