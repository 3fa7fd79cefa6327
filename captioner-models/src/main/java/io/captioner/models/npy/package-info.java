/**
 * Pickle-free readers and writers for NumPy's {@code .npy} arrays and {@code .npz} archives.
 *
 * <p>Only plain numeric dtypes are accepted; object arrays (which NumPy stores with pickle) are
 * refused, so reading a file can never run code. Writers go to a temporary file that is moved into
 * place atomically.
 */
package io.captioner.models.npy;
