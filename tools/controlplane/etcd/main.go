// Command etcd starts the etcd server of the pinned go.etcd.io/etcd/server/v3 module, for tests.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
