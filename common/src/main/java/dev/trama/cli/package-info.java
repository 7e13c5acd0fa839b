/** Pieces shared by the three command lines: argument converters and exit codes. */
package dev.trama.cli;
