package io.plenum
internal fun probe(): String = io.plenum.demo.Demo::class.java.name
