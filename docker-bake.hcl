# The four service images from ./Dockerfile: `docker buildx bake` builds them all, `docker buildx bake
# executor` one. TAG and REGISTRY name them (k8s/scripts/images.sh and the workflows set both);
# PLATFORMS lists the platforms (the release workflow builds linux/amd64 and linux/arm64).
variable "REGISTRY" {
  default = ""
}
variable "TAG" {
  default = "dev"
}
variable "PLATFORMS" {
  default = "linux/amd64"
}

group "default" {
  targets = ["gateway", "sandbox-manager", "sandbox-router", "executor"]
}

target "_common" {
  context    = "."
  dockerfile = "Dockerfile"
  platforms  = split(",", PLATFORMS)
  labels = {
    "org.opencontainers.image.source" = "https://github.com/foxhound-sre/foxhound"
  }
}

target "gateway" {
  inherits = ["_common"]
  target   = "gateway"
  args     = { APP = "gateway", PORT = "8000" }
  tags     = ["${REGISTRY}foxhound-gateway:${TAG}"]
}

target "sandbox-manager" {
  inherits = ["_common"]
  target   = "service"
  args     = { APP = "sandbox-manager", PORT = "8081" }
  tags     = ["${REGISTRY}foxhound-sandbox-manager:${TAG}"]
}

target "sandbox-router" {
  inherits = ["_common"]
  target   = "service"
  args     = { APP = "sandbox-router", PORT = "8080" }
  tags     = ["${REGISTRY}foxhound-sandbox-router:${TAG}"]
}

target "executor" {
  inherits = ["_common"]
  target   = "executor"
  args     = { APP = "executor", PORT = "8888" }
  tags     = ["${REGISTRY}foxhound-executor:${TAG}"]
}
