/**
 * The deep-learning engine: set-up (native library, threads, device), the
 * user's engine settings, platforms and libtorch checks, and every
 * engine-specific call ({@link org.osteocast.nn.engine.Torch}).
 */
package org.osteocast.nn.engine;
