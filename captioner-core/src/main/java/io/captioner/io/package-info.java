/** File helpers shared by the SDK: atomic writes so that nothing half-written looks valid. */
package io.captioner.io;
