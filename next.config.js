// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and wasm-heavy packages stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
};

module.exports = nextConfig;
